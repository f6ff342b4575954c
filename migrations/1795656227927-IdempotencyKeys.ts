import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IdempotencyKeys1795656227927 implements MigrationInterface {
  name = 'IdempotencyKeys1795656227927';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "idempotency_keys" ("organization_id" uuid NOT NULL, "key" text NOT NULL, "request_hash" text NOT NULL, "state" text NOT NULL, "response_status" integer, "response_body" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_fa1b697098c138245abc15cad73" PRIMARY KEY ("organization_id", "key"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idempotency_keys_created_idx" ON "idempotency_keys"  ("created_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "idempotency_keys" ADD CONSTRAINT "FK_12d9576ef013c5bd4eead32afd0" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "idempotency_keys" DROP CONSTRAINT "FK_12d9576ef013c5bd4eead32afd0"`,
    );
    await queryRunner.query(`DROP INDEX "public"."idempotency_keys_created_idx"`);
    await queryRunner.query(`DROP TABLE "idempotency_keys"`);
  }
}
