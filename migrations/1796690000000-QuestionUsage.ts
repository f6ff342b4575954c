import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A question's model token use; questions answered before it made no model call. */
export class QuestionUsage1796690000000 implements MigrationInterface {
  name = 'QuestionUsage1796690000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "questions" ADD "usage" jsonb NOT NULL DEFAULT '{"requests":0,"inputTokens":0,"outputTokens":0,"totalTokens":0}'`,
    );
    await queryRunner.query(`ALTER TABLE "questions" ALTER COLUMN "usage" DROP DEFAULT`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "questions" DROP COLUMN "usage"`);
  }
}
