import { MigrationInterface, QueryRunner } from "typeorm";

export class BoundedBuckets1795554604428 implements MigrationInterface {
    name = 'BoundedBuckets1795554604428'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."candidate_bucket_lookup_idx"`);
        await queryRunner.query(`ALTER TABLE "candidate_bucket" ADD "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`);
        await queryRunner.query(`CREATE INDEX "candidate_bucket_recent_idx" ON "candidate_bucket"  ("family", "component", "function_name", "created_at", "candidate_id") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."candidate_bucket_recent_idx"`);
        await queryRunner.query(`ALTER TABLE "candidate_bucket" DROP COLUMN "created_at"`);
        await queryRunner.query(`CREATE INDEX "candidate_bucket_lookup_idx" ON "candidate_bucket" USING btree ("function_name", "family", "component") `);
    }

}
