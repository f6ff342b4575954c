import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AnalysisHeartbeat1796013783093 implements MigrationInterface {
  name = 'AnalysisHeartbeat1796013783093';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "analyses" ADD "heartbeat_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `CREATE INDEX "analyses_running_heartbeat_idx" ON "analyses"  ("heartbeat_at") WHERE status = 'running'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."analyses_running_heartbeat_idx"`);
    await queryRunner.query(`ALTER TABLE "analyses" DROP COLUMN "heartbeat_at"`);
  }
}
