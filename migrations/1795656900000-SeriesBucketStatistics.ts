import type { MigrationInterface, QueryRunner } from 'typeorm';

const UNITS = ['minute', 'hour', 'day', 'week', 'month'] as const;

/**
 * Extended statistics on each series bucket expression (as MetricsRepository.series
 * writes it): without them PostgreSQL guesses a group per row for
 * `GROUP BY date_trunc(...)`, and never aggregates a big series in parallel.
 */
export class SeriesBucketStatistics1795656900000 implements MigrationInterface {
  name = 'SeriesBucketStatistics1795656900000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const unit of UNITS) {
      await queryRunner.query(
        `CREATE STATISTICS "metrics_${unit}_bucket_stats" ON (date_trunc('${unit}', observed_at AT TIME ZONE 'UTC')) FROM "metrics"`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const unit of UNITS) {
      await queryRunner.query(`DROP STATISTICS IF EXISTS "metrics_${unit}_bucket_stats"`);
    }
  }
}
