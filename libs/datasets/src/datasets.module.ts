import { AuditCoreModule } from '@app/audit';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DatasetsController } from './controllers/datasets.controller';
import { DatasetEntity } from './entities/dataset.entity';
import { ProfileThreadService } from './ingest/profile-thread.service';
import { IngestWarmUpJob } from './jobs/ingest-warm-up.job';
import { DatasetChartsRepository } from './repositories/dataset-charts.repository';
import { DatasetRowsRepository } from './repositories/dataset-rows.repository';
import { DatasetTablesRepository } from './repositories/dataset-tables.repository';
import { DatasetsRepository } from './repositories/datasets.repository';
import { DatasetChartsService } from './services/dataset-charts.service';
import { DatasetRowsService } from './services/dataset-rows.service';
import { DatasetUploadService } from './services/dataset-upload.service';
import { DatasetsService } from './services/datasets.service';
import { IdempotentUploadsService } from './services/idempotent-uploads.service';

/**
 * The dataset rules without HTTP: what analyses import (records are stored as a dataset),
 * in the worker too, which must not mount the API's routes.
 */
@Module({
  imports: [TypeOrmModule.forFeature([DatasetEntity]), AuditCoreModule],
  providers: [
    DatasetsRepository,
    DatasetRowsRepository,
    DatasetChartsRepository,
    DatasetTablesRepository,
    DatasetUploadService,
    DatasetsService,
    DatasetRowsService,
    DatasetChartsService,
    ProfileThreadService,
  ],
  exports: [
    DatasetsService,
    DatasetRowsService,
    DatasetUploadService,
    DatasetChartsService,
    ProfileThreadService,
  ],
})
export class DatasetsCoreModule {}

/** CSV datasets: upload, profile, rows, export, charts; the ingest path warmed at start-up. */
@Module({
  imports: [DatasetsCoreModule],
  controllers: [DatasetsController],
  providers: [IngestWarmUpJob, IdempotentUploadsService],
})
export class DatasetsModule {}
