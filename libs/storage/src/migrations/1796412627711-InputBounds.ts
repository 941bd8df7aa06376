import { MigrationInterface, QueryRunner } from "typeorm";

export class InputBounds1796412627711 implements MigrationInterface {
    name = 'InputBounds1796412627711'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "raw_report" ADD "waiting_reason" text`);
        await queryRunner.query(`ALTER TABLE "raw_report" ADD "skipped_entries" text array NOT NULL DEFAULT '{}'`);
        // Reviewed: widened in place (the generator drops and re-adds, which would lose the counts).
        await queryRunner.query(`ALTER TABLE "bug_candidate" ALTER COLUMN "occurrence_count" TYPE bigint`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "bug_candidate" ALTER COLUMN "occurrence_count" TYPE integer`);
        await queryRunner.query(`ALTER TABLE "raw_report" DROP COLUMN "skipped_entries"`);
        await queryRunner.query(`ALTER TABLE "raw_report" DROP COLUMN "waiting_reason"`);
    }

}
