import {
  OrganizationEntity,
  type OrganizationId,
  OrganizationIdColumn,
  OrganizationRelation,
} from '@app/tenancy';
import { CreatedAtColumn } from '@app/database';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { quoteIdentifier } from '../csv/identifiers';
import type { DatasetColumn, TypeChange } from '../ingest/csv-table-loader';
import type { ColumnProfile } from '../profiling/column-profiler';

/** The PostgreSQL schema holding one table of rows per dataset (`d_<id without dashes>`). */
export const DATASET_ROWS_SCHEMA = 'dataset_rows';

/** The rows table of a dataset, schema-qualified and quoted. */
export function datasetTable(dataset: Pick<DatasetEntity, 'tableName'>): string {
  return `${quoteIdentifier(DATASET_ROWS_SCHEMA)}.${quoteIdentifier(dataset.tableName)}`;
}

export type DatasetStatus = 'ready';

/**
 * An uploaded CSV file: its shape, its profile and where its rows are. The row and
 * its table are created in one transaction, so a dataset that exists is complete
 * (`status` is always `ready` today; it leaves room for asynchronous loads).
 */
@Entity({ name: 'datasets' })
@Index('datasets_organization_time_idx', ['organizationId', 'createdAt', 'id'])
export class DatasetEntity {
  /** Chosen before the load, because it names the rows table. */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @OrganizationIdColumn()
  organizationId!: OrganizationId;

  @OrganizationRelation()
  organization?: OrganizationEntity;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  status!: DatasetStatus;

  /** Table in {@link DATASET_ROWS_SCHEMA}; never built from user input. */
  @Column({ name: 'table_name', type: 'text' })
  tableName!: string;

  @Column({ name: 'row_count', type: 'bigint', transformer: { to: Number, from: Number } })
  rowCount!: number;

  @Column({ name: 'byte_size', type: 'bigint', transformer: { to: Number, from: Number } })
  byteSize!: number;

  @Column({ type: 'text' })
  delimiter!: string;

  @Column({ name: 'has_header', type: 'boolean' })
  hasHeader!: boolean;

  @Column({ type: 'jsonb' })
  columns!: DatasetColumn[];

  @Column({ type: 'jsonb' })
  profile!: ColumnProfile[];

  @Column({ name: 'type_changes', type: 'jsonb' })
  typeChanges!: TypeChange[];

  /** Principal (user or API key id) that uploaded it. */
  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @CreatedAtColumn()
  createdAt!: Date;
}
