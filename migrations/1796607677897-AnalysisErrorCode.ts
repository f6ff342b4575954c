import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AnalysisErrorCode1796607677897 implements MigrationInterface {
  name = 'AnalysisErrorCode1796607677897';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "analyses" ADD "error_code" text`);
    // Earlier failures get their code; an error that was a raw message becomes our sentence.
    await queryRunner.query(
      `UPDATE "analyses" SET "error_code" = CASE
         WHEN "error" = 'cancelled' THEN 'cancelled'
         WHEN "error" = 'every agent failed' THEN 'agents-failed'
         WHEN "error" = 'its worker stopped and no retry is left' THEN 'worker-lost'
         WHEN "error" = 'the dataset no longer exists' THEN 'dataset-unavailable'
         ELSE 'internal' END
       WHERE "error" IS NOT NULL`,
    );
    await queryRunner.query(
      `UPDATE "analyses" SET "error" = 'an internal error stopped it' WHERE "error_code" = 'internal'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "analyses" DROP COLUMN "error_code"`);
  }
}
