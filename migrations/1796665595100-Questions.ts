import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Questions1796665595100 implements MigrationInterface {
  name = 'Questions1796665595100';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "questions" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "dataset_id" uuid NOT NULL, "question" text NOT NULL, "answer" text NOT NULL, "query" jsonb NOT NULL, "result" jsonb NOT NULL, "chart" jsonb, "readings" jsonb NOT NULL, "model_provider" text NOT NULL, "model_name" text NOT NULL, "tool_call_id" text, "duration_ms" integer NOT NULL, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_08a6d4b0f49ff300bf3a0ca60ac" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "questions_organization_dataset_time_idx" ON "questions"  ("organization_id", "dataset_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "questions" ADD CONSTRAINT "FK_e4b83ffcb0af243a1cdcfec78f2" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "questions" ADD CONSTRAINT "FK_a96fd8b1f28d0523adaa519fc3b" FOREIGN KEY ("dataset_id") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "questions" DROP CONSTRAINT "FK_a96fd8b1f28d0523adaa519fc3b"`,
    );
    await queryRunner.query(
      `ALTER TABLE "questions" DROP CONSTRAINT "FK_e4b83ffcb0af243a1cdcfec78f2"`,
    );
    await queryRunner.query(`DROP INDEX "public"."questions_organization_dataset_time_idx"`);
    await queryRunner.query(`DROP TABLE "questions"`);
  }
}
