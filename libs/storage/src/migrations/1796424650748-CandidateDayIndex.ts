import { MigrationInterface, QueryRunner } from "typeorm";

export class CandidateDayIndex1796424650748 implements MigrationInterface {
    name = 'CandidateDayIndex1796424650748'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX "candidate_day_count_day_idx" ON "candidate_day_count"  ("day", "candidate_id", "reports") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."candidate_day_count_day_idx"`);
    }

}
