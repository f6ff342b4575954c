import { IsWholeNumber } from '@app/common';
import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { CreateReportDto } from './report.dto';

/** Due times a schedule preview lists unless asked for another count. */
export const DEFAULT_SCHEDULE_PREVIEW = 5;
/** Most due times one schedule preview lists. */
export const MAX_SCHEDULE_PREVIEW = 50;

/** `GET /v1/reports/schedule-preview`: a schedule and zone to try before saving a report. */
export class ReportSchedulePreviewQueryDto extends PickType(CreateReportDto, [
  'schedule',
  'timezone',
] as const) {
  /**
   * List due times at or after this instant: ISO 8601 with a zone (`2027-03-26T12:00:00Z`) or
   * a date (midnight UTC), from 1900 to 2199. Default: now.
   */
  @IsOptional()
  @IsString({ message: 'from must be a string' })
  @MaxLength(64, { message: 'from must be at most 64 characters' })
  from?: string;

  /** How many due times to list. */
  @ApiPropertyOptional({
    type: Number,
    minimum: 1,
    maximum: MAX_SCHEDULE_PREVIEW,
    default: DEFAULT_SCHEDULE_PREVIEW,
  })
  @IsOptional()
  @Type(() => Number)
  @IsWholeNumber(1, MAX_SCHEDULE_PREVIEW)
  count: number = DEFAULT_SCHEDULE_PREVIEW;
}

export class ReportSchedulePreviewDto {
  /** The schedule as a report would store it (trimmed). */
  @ApiProperty({ maxLength: 200 })
  schedule!: string;
  @ApiProperty({ maxLength: 100 })
  timezone!: string;
  /**
   * Due times at or after `from`, ascending, in the zone with its offset
   * (`2027-03-28T03:00:00+02:00`); fewer than `count` only when the schedule stops firing.
   */
  @ApiProperty({
    type: [String],
    maxItems: MAX_SCHEDULE_PREVIEW,
    items: { type: 'string', format: 'date-time', maxLength: 32 },
  })
  dueTimes!: string[];
}
