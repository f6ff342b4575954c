import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Datasets1795643986769 implements MigrationInterface {
  name = 'Datasets1795643986769';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // One table of rows per dataset lives here, apart from the application's own tables.
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS "dataset_rows"`);
    await queryRunner.query(
      `CREATE TABLE "datasets" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "name" text NOT NULL, "status" text NOT NULL, "table_name" text NOT NULL, "row_count" bigint NOT NULL, "byte_size" bigint NOT NULL, "delimiter" text NOT NULL, "has_header" boolean NOT NULL, "columns" jsonb NOT NULL, "profile" jsonb NOT NULL, "type_changes" jsonb NOT NULL, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1bf831e43c559a240303e23d038" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "datasets_organization_time_idx" ON "datasets"  ("organization_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "datasets" ADD CONSTRAINT "FK_565fe9f8a8f63ae600634c2acbd" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "datasets" DROP CONSTRAINT "FK_565fe9f8a8f63ae600634c2acbd"`,
    );
    await queryRunner.query(`DROP INDEX "public"."datasets_organization_time_idx"`);
    await queryRunner.query(`DROP TABLE "datasets"`);
    await queryRunner.query(`DROP SCHEMA IF EXISTS "dataset_rows" CASCADE`);
  }
}
