import { type OrganizationId, OrganizationIdColumn } from '@app/tenancy';
import { CreatedAtColumn } from '@app/database';
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { ReportFormatName } from './report.entity';
import { ReportRunEntity } from './report-run.entity';

/** A run's document in one format, stored as it was rendered and sent. */
@Entity({ name: 'report_documents' })
export class ReportDocumentEntity {
  @PrimaryColumn({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @PrimaryColumn({ type: 'text' })
  format!: ReportFormatName;

  @ManyToOne(() => ReportRunEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'run_id' })
  run?: ReportRunEntity;

  @OrganizationIdColumn()
  organizationId!: OrganizationId;

  @Column({ name: 'content_type', type: 'text' })
  contentType!: string;

  @Column({ name: 'file_name', type: 'text' })
  fileName!: string;

  @Column({ type: 'bytea' })
  body!: Buffer;

  @Column({ name: 'size_bytes', type: 'integer' })
  sizeBytes!: number;

  @CreatedAtColumn()
  createdAt!: Date;
}
