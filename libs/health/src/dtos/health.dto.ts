import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { HealthCheckResult } from '@nestjs/terminus';

/** Each checked dependency by name: its `status` and what the check adds (store, state, …). */
const INDICATORS = {
  type: 'object' as const,
  additionalProperties: {
    type: 'object' as const,
    required: ['status'],
    properties: { status: { type: 'string' as const, enum: ['up', 'down'] } },
    additionalProperties: true,
  },
  example: { database: { status: 'up' } },
};

/** A probe's answer (Terminus's shape, with `degraded` when only optional checks fail). */
export class HealthDto {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down', 'degraded'], example: 'ok' })
  status!: HealthCheckResult['status'] | 'degraded';
  /** The checks that passed. */
  @ApiPropertyOptional({ ...INDICATORS, nullable: true })
  info?: HealthCheckResult['info'];
  /** The checks that failed. */
  @ApiPropertyOptional({ ...INDICATORS, nullable: true })
  error?: HealthCheckResult['error'];
  /** Every check. */
  @ApiProperty(INDICATORS)
  details!: HealthCheckResult['details'];
}
