import { MigrationInterface, QueryRunner } from "typeorm";

export class CrashPipeline1795552206059 implements MigrationInterface {
    name = 'CrashPipeline1795552206059'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "bug_candidate" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "family" text NOT NULL, "component" text NOT NULL, "exact_hash" text NOT NULL, "signature_text" text NOT NULL, "representative_frames" jsonb NOT NULL, "exemplars" jsonb NOT NULL, "first_seen" TIMESTAMP WITH TIME ZONE NOT NULL, "last_seen" TIMESTAMP WITH TIME ZONE NOT NULL, "report_count" integer NOT NULL DEFAULT '0', "occurrence_count" integer NOT NULL DEFAULT '0', "host_count" integer NOT NULL DEFAULT '0', "merged_into_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_59edd30acb0ae87af7e7e5ea806" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "bug_candidate_last_seen_idx" ON "bug_candidate"  ("last_seen") `);
        await queryRunner.query(`CREATE INDEX "bug_candidate_family_component_idx" ON "bug_candidate"  ("family", "component") `);
        await queryRunner.query(`CREATE TABLE "candidate_signature" ("exact_hash" text NOT NULL, "candidate_id" uuid NOT NULL, "origin" text NOT NULL DEFAULT 'first-report', CONSTRAINT "PK_b55e855e55f65ca1b96430c6115" PRIMARY KEY ("exact_hash"))`);
        await queryRunner.query(`CREATE TABLE "candidate_bucket" ("candidate_id" uuid NOT NULL, "function_name" text NOT NULL, "family" text NOT NULL, "component" text NOT NULL, CONSTRAINT "PK_2b8f31db857b8122d3106a9589d" PRIMARY KEY ("candidate_id", "function_name"))`);
        await queryRunner.query(`CREATE INDEX "candidate_bucket_lookup_idx" ON "candidate_bucket"  ("family", "component", "function_name") `);
        await queryRunner.query(`CREATE TABLE "candidate_host" ("candidate_id" uuid NOT NULL, "host_key" text NOT NULL, CONSTRAINT "PK_c7dcf56cb87636fbc75bc59acd6" PRIMARY KEY ("candidate_id", "host_key"))`);
        await queryRunner.query(`CREATE TABLE "crash_report" ("id" uuid NOT NULL, "candidate_id" uuid NOT NULL, "family" text NOT NULL, "problem_type" text NOT NULL, "component" text NOT NULL, "executable" text, "reason" text, "crashed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "host_key" text, "package_name" text, "package_version" text, "os_release" text, "kernel" text, "architecture" text, "exact_hash" text NOT NULL, "signature_text" text NOT NULL, "normalized_frames" jsonb NOT NULL, "duphash" text, "bthash" text, "labels" jsonb NOT NULL DEFAULT '{}'::jsonb, "occurrences" integer NOT NULL DEFAULT '1', "grouping" jsonb NOT NULL, "hardware" jsonb NOT NULL DEFAULT '{}'::jsonb, CONSTRAINT "PK_ce083942b76ff1b88f9f0c07e35" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "crash_report_host_idx" ON "crash_report"  ("host_key") `);
        await queryRunner.query(`CREATE INDEX "crash_report_bthash_idx" ON "crash_report"  ("bthash") `);
        await queryRunner.query(`CREATE INDEX "crash_report_duphash_idx" ON "crash_report"  ("duphash") `);
        await queryRunner.query(`CREATE INDEX "crash_report_exact_hash_idx" ON "crash_report"  ("exact_hash") `);
        await queryRunner.query(`CREATE INDEX "crash_report_candidate_idx" ON "crash_report"  ("candidate_id", "crashed_at") `);
        await queryRunner.query(`CREATE TABLE "grouping_rule" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" text NOT NULL, "source" text NOT NULL, "target_candidate_id" uuid NOT NULL, "note" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_814071c41fe80fc47b9bbbae99e" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE TABLE "raw_report" ("id" uuid NOT NULL, "kind" text NOT NULL, "source" text NOT NULL, "status" text NOT NULL DEFAULT 'queued', "reject_reason" text, "encoding" text NOT NULL, "payload" bytea NOT NULL, "payload_bytes" integer NOT NULL, "content_sha256" text NOT NULL, "host_id" uuid, "labels" jsonb NOT NULL DEFAULT '{}'::jsonb, "occurrences" integer NOT NULL DEFAULT '1', "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "processed_at" TIMESTAMP WITH TIME ZONE, "processing_attempts" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_057e2542b18266dca609b529f9b" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "raw_report_queued_idx" ON "raw_report"  ("received_at") WHERE status = 'queued'`);
        await queryRunner.query(`CREATE TABLE "report_attachment" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "bthash" text NOT NULL, "type" text NOT NULL, "data" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0e5e0eca753a0c7e367a1249dfc" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "report_attachment_bthash_idx" ON "report_attachment"  ("bthash") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."report_attachment_bthash_idx"`);
        await queryRunner.query(`DROP TABLE "report_attachment"`);
        await queryRunner.query(`DROP INDEX "public"."raw_report_queued_idx"`);
        await queryRunner.query(`DROP TABLE "raw_report"`);
        await queryRunner.query(`DROP TABLE "grouping_rule"`);
        await queryRunner.query(`DROP INDEX "public"."crash_report_candidate_idx"`);
        await queryRunner.query(`DROP INDEX "public"."crash_report_exact_hash_idx"`);
        await queryRunner.query(`DROP INDEX "public"."crash_report_duphash_idx"`);
        await queryRunner.query(`DROP INDEX "public"."crash_report_bthash_idx"`);
        await queryRunner.query(`DROP INDEX "public"."crash_report_host_idx"`);
        await queryRunner.query(`DROP TABLE "crash_report"`);
        await queryRunner.query(`DROP TABLE "candidate_host"`);
        await queryRunner.query(`DROP INDEX "public"."candidate_bucket_lookup_idx"`);
        await queryRunner.query(`DROP TABLE "candidate_bucket"`);
        await queryRunner.query(`DROP TABLE "candidate_signature"`);
        await queryRunner.query(`DROP INDEX "public"."bug_candidate_family_component_idx"`);
        await queryRunner.query(`DROP INDEX "public"."bug_candidate_last_seen_idx"`);
        await queryRunner.query(`DROP TABLE "bug_candidate"`);
    }

}
