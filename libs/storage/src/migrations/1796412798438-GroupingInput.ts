import { MigrationInterface, QueryRunner } from "typeorm";

export class GroupingInput1796412798438 implements MigrationInterface {
    name = 'GroupingInput1796412798438'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "crash_report" ADD "grouping_input" jsonb`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "crash_report" DROP COLUMN "grouping_input"`);
    }

}
