import { AuditModule } from '@app/audit';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DatasetsController } from './controllers/datasets.controller';
import { DatasetEntity } from './entities/dataset.entity';
import { DatasetsRepository } from './repositories/datasets.repository';
import { DatasetChartsService } from './services/dataset-charts.service';
import { DatasetRowsService } from './services/dataset-rows.service';
import { DatasetUploadService } from './services/dataset-upload.service';
import { DatasetsService } from './services/datasets.service';

/** CSV datasets: upload, profile, rows, export, charts. */
@Module({
  imports: [TypeOrmModule.forFeature([DatasetEntity]), AuditModule],
  controllers: [DatasetsController],
  providers: [
    DatasetsRepository,
    DatasetUploadService,
    DatasetsService,
    DatasetRowsService,
    DatasetChartsService,
  ],
  exports: [DatasetsService, DatasetRowsService],
})
export class DatasetsModule {}
