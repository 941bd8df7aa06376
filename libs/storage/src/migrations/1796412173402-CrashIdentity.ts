import { MigrationInterface, QueryRunner } from "typeorm";

export class CrashIdentity1796412173402 implements MigrationInterface {
    name = 'CrashIdentity1796412173402'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "raw_report" ADD "crash_key" text`);
        await queryRunner.query(`ALTER TABLE "raw_report" ADD "bthash" text`);
        await queryRunner.query(`CREATE INDEX "raw_report_unclaimed_bthash_idx" ON "raw_report"  ("bthash") WHERE crash_key IS NULL AND bthash IS NOT NULL`);
        await queryRunner.query(`CREATE INDEX "raw_report_crash_key_idx" ON "raw_report"  ("crash_key") WHERE crash_key IS NOT NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."raw_report_crash_key_idx"`);
        await queryRunner.query(`DROP INDEX "public"."raw_report_unclaimed_bthash_idx"`);
        await queryRunner.query(`ALTER TABLE "raw_report" DROP COLUMN "bthash"`);
        await queryRunner.query(`ALTER TABLE "raw_report" DROP COLUMN "crash_key"`);
    }

}
