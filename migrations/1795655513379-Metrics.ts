import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Metrics1795655513379 implements MigrationInterface {
  name = 'Metrics1795655513379';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "metrics" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "name" text NOT NULL, "value" double precision NOT NULL, "unit" text, "dimensions" jsonb NOT NULL, "observed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "source" text NOT NULL, "dataset_id" uuid, "analysis_id" uuid, "agent" text, "tool_call_id" text, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5283cad666a83376e28a715bf0e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "metrics_org_analysis_time_idx" ON "metrics"  ("organization_id", "analysis_id", "observed_at", "id") WHERE "analysis_id" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "metrics_org_dataset_time_idx" ON "metrics"  ("organization_id", "dataset_id", "observed_at", "id") WHERE "dataset_id" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "metrics_org_time_idx" ON "metrics"  ("organization_id", "observed_at", "id") `,
    );
    // Beyond TypeORM's index model (the entity marks them synchronize: false):
    // name + time range pages, and series read from the index alone (value included);
    await queryRunner.query(
      `CREATE INDEX "metrics_org_name_time_idx" ON "metrics" ("organization_id", "name", "observed_at", "id") INCLUDE ("value")`,
    );
    // dimension filters: dimensions @> '{"key":"value"}'.
    await queryRunner.query(
      `CREATE INDEX "metrics_dimensions_idx" ON "metrics" USING gin ("dimensions" jsonb_path_ops)`,
    );
    await queryRunner.query(
      `CREATE TABLE "metric_names" ("organization_id" uuid NOT NULL, "name" text NOT NULL, "count" bigint NOT NULL, "last_observed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_59399d931f85348a4b8e29994bf" PRIMARY KEY ("organization_id", "name"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "metrics" ADD CONSTRAINT "FK_318894f07eec8e250f13f3795a8" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "metric_names" ADD CONSTRAINT "FK_813e453a805ee0ab4a08da40c0e" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "metric_names" DROP CONSTRAINT "FK_813e453a805ee0ab4a08da40c0e"`,
    );
    await queryRunner.query(
      `ALTER TABLE "metrics" DROP CONSTRAINT "FK_318894f07eec8e250f13f3795a8"`,
    );
    await queryRunner.query(`DROP TABLE "metric_names"`);
    await queryRunner.query(`DROP INDEX "public"."metrics_dimensions_idx"`);
    await queryRunner.query(`DROP INDEX "public"."metrics_org_name_time_idx"`);
    await queryRunner.query(`DROP INDEX "public"."metrics_org_time_idx"`);
    await queryRunner.query(`DROP INDEX "public"."metrics_org_dataset_time_idx"`);
    await queryRunner.query(`DROP INDEX "public"."metrics_org_analysis_time_idx"`);
    await queryRunner.query(`DROP TABLE "metrics"`);
  }
}
