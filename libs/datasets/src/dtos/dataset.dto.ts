import { PageQueryDto } from '@app/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { MAX_HEADER_LENGTH } from '../csv/header-names';
import type { DatasetEntity } from '../entities/dataset.entity';
import type { ColumnProfile } from '../profiling/column-profiler';

export const COLUMN_TYPES = ['integer', 'number', 'boolean', 'date', 'datetime', 'string'] as const;

/** Delimiters by character or by name (a tab is awkward in a query string). */
export const DELIMITERS: Record<string, ',' | ';' | '\t' | '|'> = {
  ',': ',',
  ';': ';',
  '\t': '\t',
  '|': '|',
  comma: ',',
  semicolon: ';',
  tab: '\t',
  pipe: '|',
};

/** Bounds of what a stored dataset can hold, as the responses state them. */
const MAX_COLUMNS = 1600; // DATASET_MAX_COLUMNS at its largest (PostgreSQL's column limit)
const MAX_CELL_LENGTH = 268_435_456; // DATASET_MAX_FIELD_LENGTH at its largest
const MAX_SQL_NAME = 63; // PostgreSQL's identifier length
const MAX_TOP_VALUES = 100; // the counters of the top-values sketch

/** `true`/`false` from a query string or a form field. */
const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

/** Upload options, as query parameters or as form fields sent before the file. */
export class UploadDatasetOptionsDto {
  /** Display name; default: the file name without its extension, or "Untitled dataset". */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  /** `,` `;` `|` or a tab (also `comma`, `semicolon`, `pipe`, `tab`); sniffed when absent. */
  @ApiPropertyOptional({ enum: Object.keys(DELIMITERS) })
  @IsOptional()
  @IsIn(Object.keys(DELIMITERS), {
    message: 'delimiter must be one of , ; | or a tab (or comma, semicolon, pipe, tab)',
  })
  delimiter?: string;

  /** Whether the first row names the columns (default true). */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'header must be true or false' })
  header?: boolean;
}

export class DatasetColumnDto {
  /** The name as the file gave it. */
  @ApiProperty({ maxLength: MAX_HEADER_LENGTH })
  name!: string;
  /** The column's name in SQL (sanitised), for reference. */
  @ApiProperty({ maxLength: MAX_SQL_NAME })
  column!: string;
  @ApiProperty({ enum: COLUMN_TYPES })
  type!: (typeof COLUMN_TYPES)[number];
}

export class TypeChangeDto {
  @ApiProperty({ maxLength: MAX_HEADER_LENGTH })
  column!: string;
  @ApiProperty({ enum: [...COLUMN_TYPES, 'unknown'] })
  from!: string;
  @ApiProperty({ enum: COLUMN_TYPES })
  to!: string;
  /** Rows stored before the change; their values were converted (`1.50` → `1.5` as text). */
  rowsBefore!: number;
}

export class DatasetDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ maxLength: 200 })
  name!: string;
  @ApiProperty({ enum: ['ready'] })
  status!: 'ready';
  rowCount!: number;
  /** Size of the uploaded file in bytes. */
  byteSize!: number;
  @ApiProperty({ enum: [',', ';', '\t', '|'] })
  delimiter!: string;
  header!: boolean;
  @ApiProperty({ type: [DatasetColumnDto], maxItems: MAX_COLUMNS })
  columns!: DatasetColumnDto[];
  /** Columns whose type widened after the first 64 KiB (see docs/datasets.md). */
  @ApiProperty({ type: [TypeChangeDto], maxItems: MAX_COLUMNS })
  typeChanges!: TypeChangeDto[];
  createdAt!: Date;
}

export class DatasetPageDto {
  @ApiProperty({ type: [DatasetDto], maxItems: 500 })
  data!: DatasetDto[];
  /** Pass as `cursor` for the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true, maxLength: 512 })
  nextCursor!: string | null;
}

export class QuantilesDto {
  @ApiProperty({ type: Number, nullable: true })
  p05!: number | null;
  @ApiProperty({ type: Number, nullable: true })
  p25!: number | null;
  @ApiProperty({ type: Number, nullable: true })
  p50!: number | null;
  @ApiProperty({ type: Number, nullable: true })
  p75!: number | null;
  @ApiProperty({ type: Number, nullable: true })
  p95!: number | null;
}

export class TopValueDto {
  @ApiProperty({
    oneOf: [
      { type: 'string', maxLength: MAX_CELL_LENGTH },
      { type: 'number' },
      { type: 'boolean' },
    ],
  })
  value!: string | number | boolean;
  /** Occurrences: exact while the column has ≤ 100 distinct values, else a lower bound. */
  count!: number;
}

export class ColumnProfileDto {
  @ApiProperty({ maxLength: MAX_HEADER_LENGTH })
  name!: string;
  @ApiProperty({ enum: COLUMN_TYPES })
  type!: (typeof COLUMN_TYPES)[number];
  /** Rows, nulls included. */
  count!: number;
  nullCount!: number;
  /** Exact up to 10,000 distinct values, a HyperLogLog estimate above (0.81 % standard error). */
  distinctCount!: number;
  /** Numbers for numeric columns, ISO-8601 for dates and datetimes, null otherwise. */
  @ApiProperty({
    anyOf: [
      { type: 'number', nullable: true },
      { type: 'string', nullable: true, maxLength: 40 },
    ],
  })
  min!: number | string | null;
  @ApiProperty({
    anyOf: [
      { type: 'number', nullable: true },
      { type: 'string', nullable: true, maxLength: 40 },
    ],
  })
  max!: number | string | null;
  @ApiProperty({ type: Number, nullable: true })
  mean!: number | null;
  /** Sample standard deviation (n − 1). */
  @ApiProperty({ type: Number, nullable: true })
  stddev!: number | null;
  /** From a KLL sketch: exact up to 200 values, else within 1.65 % of rank (99 % confidence). */
  quantiles!: QuantilesDto;
  @ApiProperty({ type: [TopValueDto], maxItems: MAX_TOP_VALUES })
  topValues!: TopValueDto[];
}

export class DatasetProfileDto {
  @ApiProperty({ format: 'uuid' })
  datasetId!: string;
  rowCount!: number;
  @ApiProperty({ type: [ColumnProfileDto], maxItems: MAX_COLUMNS })
  columns!: ColumnProfileDto[];
}

export class DatasetRowsQueryDto extends PageQueryDto {}

export class TruncatedCellDto {
  /** Index of the row in `data`. */
  row!: number;
  /** The column's name. */
  @ApiProperty({ maxLength: MAX_HEADER_LENGTH })
  column!: string;
  /** The cell's whole size in bytes (UTF-8); the export has it whole. */
  bytes!: number;
}

export class DatasetRowsPageDto {
  /**
   * Rows in file order, as objects keyed by the column names of the file. At most
   * `limit`, and fewer when they are large: a page holds at most
   * `DATASET_ROWS_PAGE_MAX_BYTES` of cells, and `nextCursor` goes on after its last row.
   */
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    maxItems: 500,
  })
  data!: Array<Record<string, string | number | boolean | null>>;
  @ApiProperty({ type: String, nullable: true, maxLength: 512 })
  nextCursor!: string | null;
  /**
   * Cells served cut: only when a single row is larger than the page's byte budget (it
   * then comes alone, each text cell over an equal share of the budget cut). Usually empty.
   */
  @ApiProperty({ type: [TruncatedCellDto], maxItems: MAX_COLUMNS })
  truncatedCells!: TruncatedCellDto[];
}

export class ExportQueryDto {
  /** `csv` (default) or `json`. */
  @ApiPropertyOptional({ enum: ['csv', 'json'], default: 'csv' })
  @IsOptional()
  @IsIn(['csv', 'json'], { message: 'format must be csv or json' })
  format: 'csv' | 'json' = 'csv';
}

export class HistogramQueryDto {
  /** Bars for numeric and time columns (1–200, default 20); category columns show their top values. */
  @ApiPropertyOptional({ type: 'integer', format: 'int32', minimum: 1, maximum: 200, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  bins: number = 20;
}

export function mapDataset(dataset: Omit<DatasetEntity, 'profile'>): DatasetDto {
  return {
    id: dataset.id,
    name: dataset.name,
    status: dataset.status,
    rowCount: dataset.rowCount,
    byteSize: dataset.byteSize,
    delimiter: dataset.delimiter,
    header: dataset.hasHeader,
    columns: dataset.columns.map(({ name, column, type }) => ({ name, column, type })),
    typeChanges: dataset.typeChanges,
    createdAt: dataset.createdAt,
  };
}

export function mapProfile(dataset: DatasetEntity): DatasetProfileDto {
  return {
    datasetId: dataset.id,
    rowCount: dataset.rowCount,
    columns: dataset.profile.map((column: ColumnProfile) => ({ ...column })),
  };
}
