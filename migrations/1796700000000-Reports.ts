import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Reports1796700000000 implements MigrationInterface {
  name = 'Reports1796700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "reports" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "name" text NOT NULL, "metrics" jsonb NOT NULL, "dataset_id" uuid, "period" text NOT NULL, "schedule" text NOT NULL, "timezone" text NOT NULL, "catch_up" text NOT NULL, "formats" text array NOT NULL, "webhook_url" text, "webhook_secret" text, "webhook_previous_secret" text, "webhook_previous_secret_until" TIMESTAMP WITH TIME ZONE, "webhook_disabled_at" TIMESTAMP WITH TIME ZONE, "attach_document" boolean NOT NULL DEFAULT false, "enabled" boolean NOT NULL, "scheduled_through" TIMESTAMP WITH TIME ZONE NOT NULL, "next_due_at" TIMESTAMP WITH TIME ZONE, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d9013193989303580053c0b5ef6" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "reports_next_due_idx" ON "reports"  ("next_due_at") WHERE enabled`,
    );
    await queryRunner.query(
      `CREATE INDEX "reports_organization_time_idx" ON "reports"  ("organization_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "report_runs" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "report_id" uuid NOT NULL, "trigger" text NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "period_start" TIMESTAMP WITH TIME ZONE NOT NULL, "period_end" TIMESTAMP WITH TIME ZONE NOT NULL, "status" text NOT NULL, "error" text, "error_code" text, "attempts" integer NOT NULL DEFAULT '0', "started_at" TIMESTAMP WITH TIME ZONE, "heartbeat_at" TIMESTAMP WITH TIME ZONE, "generated_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, "summary" text, "delivery_status" text NOT NULL DEFAULT 'none', "requested_by" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ec9cd6617ae677b28700451a9b3" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "report_runs_generating_heartbeat_idx" ON "report_runs"  ("heartbeat_at") WHERE status = 'running' AND generated_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "report_runs_scheduled_due_idx" ON "report_runs"  ("report_id", "due_at") WHERE trigger = 'schedule'`,
    );
    await queryRunner.query(
      `CREATE INDEX "report_runs_organization_time_idx" ON "report_runs"  ("organization_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "report_runs_report_time_idx" ON "report_runs"  ("organization_id", "report_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "report_deliveries" ("id" uuid NOT NULL, "organization_id" uuid NOT NULL, "run_id" uuid NOT NULL, "attempt" integer NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "status_code" integer, "duration_ms" integer NOT NULL, "error" text, "outcome" text NOT NULL, "next_retry_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_a1ae81137e17c6c6379c70982d2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "report_deliveries_run_idx" ON "report_deliveries"  ("run_id", "attempt") `,
    );
    await queryRunner.query(
      `CREATE TABLE "report_documents" ("run_id" uuid NOT NULL, "format" text NOT NULL, "organization_id" uuid NOT NULL, "content_type" text NOT NULL, "file_name" text NOT NULL, "body" bytea NOT NULL, "size_bytes" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f7f71b11bfe9916921c18183d7c" PRIMARY KEY ("run_id", "format"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "reports" ADD CONSTRAINT "FK_9a489187107505eb31692438181" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_runs" ADD CONSTRAINT "FK_736c1687c0cd17e1c1afb3a69b1" FOREIGN KEY ("report_id") REFERENCES "reports"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_deliveries" ADD CONSTRAINT "FK_f4da571903ce2a4d17d8c96ef25" FOREIGN KEY ("run_id") REFERENCES "report_runs"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_documents" ADD CONSTRAINT "FK_d93ac30a42812e123e29b344442" FOREIGN KEY ("run_id") REFERENCES "report_runs"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "report_documents" DROP CONSTRAINT "FK_d93ac30a42812e123e29b344442"`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_deliveries" DROP CONSTRAINT "FK_f4da571903ce2a4d17d8c96ef25"`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_runs" DROP CONSTRAINT "FK_736c1687c0cd17e1c1afb3a69b1"`,
    );
    await queryRunner.query(
      `ALTER TABLE "reports" DROP CONSTRAINT "FK_9a489187107505eb31692438181"`,
    );
    await queryRunner.query(`DROP TABLE "report_documents"`);
    await queryRunner.query(`DROP INDEX "public"."report_deliveries_run_idx"`);
    await queryRunner.query(`DROP TABLE "report_deliveries"`);
    await queryRunner.query(`DROP INDEX "public"."report_runs_report_time_idx"`);
    await queryRunner.query(`DROP INDEX "public"."report_runs_organization_time_idx"`);
    await queryRunner.query(`DROP INDEX "public"."report_runs_scheduled_due_idx"`);
    await queryRunner.query(`DROP INDEX "public"."report_runs_generating_heartbeat_idx"`);
    await queryRunner.query(`DROP TABLE "report_runs"`);
    await queryRunner.query(`DROP INDEX "public"."reports_organization_time_idx"`);
    await queryRunner.query(`DROP INDEX "public"."reports_next_due_idx"`);
    await queryRunner.query(`DROP TABLE "reports"`);
  }
}
