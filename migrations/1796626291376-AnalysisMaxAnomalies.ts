import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AnalysisMaxAnomalies1796626291376 implements MigrationInterface {
  name = 'AnalysisMaxAnomalies1796626291376';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "analyses" ADD "max_anomalies" integer`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "analyses" DROP COLUMN "max_anomalies"`);
  }
}
