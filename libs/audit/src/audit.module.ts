import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEventsController } from './controllers/audit-events.controller';
import { AuditEventEntity } from './entities/audit-event.entity';
import { AuditEventsRepository } from './repositories/audit-events.repository';
import { AuditService } from './services/audit.service';

/** Writing the audit log, without HTTP (the worker imports it and mounts no routes). */
@Module({
  imports: [TypeOrmModule.forFeature([AuditEventEntity])],
  providers: [AuditEventsRepository, AuditService],
  exports: [AuditService, AuditEventsRepository],
})
export class AuditCoreModule {}

/** The audit log of sensitive actions, readable by admins. */
@Module({
  imports: [AuditCoreModule],
  controllers: [AuditEventsController],
  exports: [AuditCoreModule],
})
export class AuditModule {}
