export { AuditCoreModule, AuditModule } from './audit.module';
export { AuditEventDto, AuditEventPageDto, ListAuditEventsQueryDto } from './dtos/audit-event.dto';
export { type AuditActor, type AuditRecord, AuditService } from './services/audit.service';
