import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Analyses1795658937048 implements MigrationInterface {
  name = 'Analyses1795658937048';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "analyses" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "status" text NOT NULL, "input" jsonb NOT NULL, "dataset_id" uuid, "agents" jsonb, "question" text, "input_hash" text NOT NULL, "model_provider" text NOT NULL, "model_name" text NOT NULL, "sdk_version" text NOT NULL, "agent_runs" jsonb, "result" jsonb, "error" text, "replay_of" uuid, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "started_at" TIMESTAMP WITH TIME ZONE, "completed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_91421900ca225ed9865d016a940" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "analyses_organization_time_idx" ON "analyses"  ("organization_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "analyses" ADD CONSTRAINT "FK_2d60a47ada55900bb5234fff94d" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "analyses" DROP CONSTRAINT "FK_2d60a47ada55900bb5234fff94d"`,
    );
    await queryRunner.query(`DROP INDEX "public"."analyses_organization_time_idx"`);
    await queryRunner.query(`DROP TABLE "analyses"`);
  }
}
