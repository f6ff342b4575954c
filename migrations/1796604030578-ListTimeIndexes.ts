import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ListTimeIndexes1796604030578 implements MigrationInterface {
  name = 'ListTimeIndexes1796604030578';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."api_keys_organization_idx"`);
    await queryRunner.query(`DROP INDEX "public"."users_organization_idx"`);
    await queryRunner.query(
      `CREATE INDEX "api_keys_organization_time_idx" ON "api_keys"  ("organization_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "users_organization_time_idx" ON "users"  ("organization_id", "created_at", "id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."users_organization_time_idx"`);
    await queryRunner.query(`DROP INDEX "public"."api_keys_organization_time_idx"`);
    await queryRunner.query(
      `CREATE INDEX "users_organization_idx" ON "users" USING btree ("organization_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "api_keys_organization_idx" ON "api_keys" USING btree ("organization_id") `,
    );
  }
}
