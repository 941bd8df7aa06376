import { MigrationInterface, QueryRunner } from "typeorm";

export class HostProfiles1795555801123 implements MigrationInterface {
    name = 'HostProfiles1795555801123'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "cep_report" ("id" uuid NOT NULL, "host_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL, "processed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "agent_version" text NOT NULL, "sequence" integer, "country" text, "profile_id" uuid, "collectors" jsonb NOT NULL, CONSTRAINT "PK_b4540768ce89f1f1993691972d5" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "cep_report_host_idx" ON "cep_report"  ("host_id", "created_at") `);
        await queryRunner.query(`CREATE TABLE "host_activity_day" ("host_id" uuid NOT NULL, "day" date NOT NULL, "profile_id" uuid NOT NULL, "country" text, CONSTRAINT "PK_547bd2546537c15689e61ba7427" PRIMARY KEY ("host_id", "day"))`);
        await queryRunner.query(`CREATE TABLE "fleet_daily_rollup" ("day" date NOT NULL, "attribute" text NOT NULL, "value" text NOT NULL, "hosts" integer NOT NULL, "objects" bigint NOT NULL, CONSTRAINT "PK_d6f82358c98f113c6ab25eef2ab" PRIMARY KEY ("day", "attribute", "value"))`);
        await queryRunner.query(`CREATE TABLE "host_collector_record" ("host_id" uuid NOT NULL, "collector" text NOT NULL, "version" integer NOT NULL, "collected_at" TIMESTAMP WITH TIME ZONE NOT NULL, "report_id" uuid NOT NULL, "outcome" text NOT NULL, "reason" text, "data" jsonb, CONSTRAINT "PK_57b64527f60a805eca9b63c7a42" PRIMARY KEY ("host_id", "collector"))`);
        await queryRunner.query(`CREATE TABLE "host" ("id" uuid NOT NULL, "first_report_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_report_at" TIMESTAMP WITH TIME ZONE NOT NULL, "report_count" integer NOT NULL DEFAULT '0', "country" text, "agent_version" text, "erasure_key_hash" text, "current_profile_id" uuid, "clone_signals" jsonb NOT NULL DEFAULT '[]', CONSTRAINT "PK_44424c24c2f9b1d7bbf8721f4c4" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "host_last_report_idx" ON "host"  ("last_report_at") `);
        await queryRunner.query(`CREATE TABLE "host_profile" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "host_id" uuid NOT NULL, "valid_from" TIMESTAMP WITH TIME ZONE NOT NULL, "valid_to" TIMESTAMP WITH TIME ZONE, "digest" text NOT NULL, "hardware_fingerprint" text, "profile" jsonb NOT NULL, "attributes" jsonb NOT NULL, CONSTRAINT "PK_1ca1d89c1ee3e04e742d3b692e3" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "host_profile_host_idx" ON "host_profile"  ("host_id", "valid_from") `);
        await queryRunner.query(`ALTER TABLE "crash_report" ADD "host_id" uuid`);
        await queryRunner.query(`ALTER TABLE "crash_report" ADD "host_profile_id" uuid`);
        await queryRunner.query(`ALTER TABLE "crash_report" ADD "country" text`);
        await queryRunner.query(`ALTER TABLE "crash_report" ADD "hardware_attrs" text array NOT NULL DEFAULT '{}'`);
        await queryRunner.query(`ALTER TABLE "raw_report" ADD "country" text`);
        await queryRunner.query(`CREATE INDEX "crash_report_host_time_idx" ON "crash_report"  ("host_id", "crashed_at") `);
        await queryRunner.query(`CREATE INDEX "raw_report_host_idx" ON "raw_report"  ("host_id") `);
        // Hand-written: TypeORM cannot declare GIN indexes; hardware filters use @> / && on this array.
        await queryRunner.query(`CREATE INDEX "crash_report_hardware_attrs_idx" ON "crash_report" USING gin ("hardware_attrs")`);
        // Crashes stored before this migration keep their agent host id in host_key only.
        await queryRunner.query(`UPDATE "crash_report" SET "host_id" = substring("host_key" from 6)::uuid WHERE "host_key" ~ '^host:[0-9a-f-]{36}$'`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."crash_report_hardware_attrs_idx"`);
        await queryRunner.query(`DROP INDEX "public"."raw_report_host_idx"`);
        await queryRunner.query(`DROP INDEX "public"."crash_report_host_time_idx"`);
        await queryRunner.query(`ALTER TABLE "raw_report" DROP COLUMN "country"`);
        await queryRunner.query(`ALTER TABLE "crash_report" DROP COLUMN "hardware_attrs"`);
        await queryRunner.query(`ALTER TABLE "crash_report" DROP COLUMN "country"`);
        await queryRunner.query(`ALTER TABLE "crash_report" DROP COLUMN "host_profile_id"`);
        await queryRunner.query(`ALTER TABLE "crash_report" DROP COLUMN "host_id"`);
        await queryRunner.query(`DROP INDEX "public"."host_profile_host_idx"`);
        await queryRunner.query(`DROP TABLE "host_profile"`);
        await queryRunner.query(`DROP INDEX "public"."host_last_report_idx"`);
        await queryRunner.query(`DROP TABLE "host"`);
        await queryRunner.query(`DROP TABLE "host_collector_record"`);
        await queryRunner.query(`DROP TABLE "fleet_daily_rollup"`);
        await queryRunner.query(`DROP TABLE "host_activity_day"`);
        await queryRunner.query(`DROP INDEX "public"."cep_report_host_idx"`);
        await queryRunner.query(`DROP TABLE "cep_report"`);
    }

}
