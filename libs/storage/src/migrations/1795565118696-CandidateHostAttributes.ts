import { MigrationInterface, QueryRunner } from "typeorm";

export class CandidateHostAttributes1795565118696 implements MigrationInterface {
    name = 'CandidateHostAttributes1795565118696'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."crash_hardware_candidate_idx"`);
        await queryRunner.query(`ALTER TABLE "candidate_host" ADD "attr_ids" integer array NOT NULL DEFAULT '{}'`);
        await queryRunner.query(`CREATE INDEX "crash_hardware_candidate_host_idx" ON "crash_hardware"  ("candidate_id", "host_key") `);
        // Hosts that crashed before this migration get the attributes of their crashes.
        await queryRunner.query(`UPDATE "candidate_host" ch SET "attr_ids" = u."ids"
            FROM (SELECT h."candidate_id", h."host_key", array_agg(DISTINCT i ORDER BY i) AS "ids"
                    FROM "crash_hardware" h CROSS JOIN unnest(h."attr_ids") i WHERE h."host_key" IS NOT NULL GROUP BY 1, 2) u
           WHERE ch."candidate_id" = u."candidate_id" AND ch."host_key" = u."host_key"`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."crash_hardware_candidate_host_idx"`);
        await queryRunner.query(`ALTER TABLE "candidate_host" DROP COLUMN "attr_ids"`);
        await queryRunner.query(`CREATE INDEX "crash_hardware_candidate_idx" ON "crash_hardware" USING btree ("candidate_id") `);
    }

}
