import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AnalysisEvents1795660932489 implements MigrationInterface {
  name = 'AnalysisEvents1795660932489';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "analysis_events" ("id" BIGSERIAL NOT NULL, "analysis_id" uuid NOT NULL, "type" text NOT NULL, "data" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_36c2efb773b76401a32f7b89e34" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "analysis_events_analysis_idx" ON "analysis_events"  ("analysis_id", "id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "analysis_events" ADD CONSTRAINT "FK_b88bfcef860eba2d982aa2ba8f2" FOREIGN KEY ("analysis_id") REFERENCES "analyses"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "analysis_events" DROP CONSTRAINT "FK_b88bfcef860eba2d982aa2ba8f2"`,
    );
    await queryRunner.query(`DROP INDEX "public"."analysis_events_analysis_idx"`);
    await queryRunner.query(`DROP TABLE "analysis_events"`);
  }
}
