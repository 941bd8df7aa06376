import { MigrationInterface, QueryRunner } from "typeorm";

export class CrashHardware1795560629800 implements MigrationInterface {
    name = 'CrashHardware1795560629800'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "hardware_attribute" ("id" SERIAL NOT NULL, "key" text NOT NULL, CONSTRAINT "UQ_b0fa2939952388e7a9371b86ade" UNIQUE ("key"), CONSTRAINT "PK_2625d44e06301079a42f43d04b3" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE TABLE "crash_hardware" ("report_id" uuid NOT NULL, "candidate_id" uuid NOT NULL, "host_key" text, "crashed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "attr_ids" integer array NOT NULL DEFAULT '{}', CONSTRAINT "PK_efb68621feea40b0172209aaa5c" PRIMARY KEY ("report_id"))`);
        await queryRunner.query(`CREATE INDEX "crash_hardware_candidate_idx" ON "crash_hardware"  ("candidate_id") `);
        await queryRunner.query(`ALTER TABLE "crash_hardware" ADD CONSTRAINT "FK_efb68621feea40b0172209aaa5c" FOREIGN KEY ("report_id") REFERENCES "crash_report"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        // Crashes stored before this migration get their copy; the index is built after the load, in one pass.
        await queryRunner.query(`INSERT INTO "hardware_attribute" ("key") SELECT DISTINCT unnest("hardware_attrs") FROM "crash_report" ORDER BY 1`);
        await queryRunner.query(`INSERT INTO "crash_hardware" ("report_id", "candidate_id", "host_key", "crashed_at", "attr_ids")
            SELECT r."id", r."candidate_id", r."host_key", r."crashed_at",
                   ARRAY(SELECT a."id" FROM "hardware_attribute" a WHERE a."key" = ANY(r."hardware_attrs") ORDER BY a."id")
              FROM "crash_report" r`);
        // Hand-written: TypeORM cannot declare GIN indexes; hardware filters use && on this array.
        await queryRunner.query(`CREATE INDEX "crash_hardware_attr_ids_idx" ON "crash_hardware" USING gin ("attr_ids")`);
        // Searches read the narrow copy now; the GIN index on the wide table would only cost writes.
        await queryRunner.query(`DROP INDEX "public"."crash_report_hardware_attrs_idx"`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX "crash_report_hardware_attrs_idx" ON "crash_report" USING gin ("hardware_attrs")`);
        await queryRunner.query(`DROP INDEX "public"."crash_hardware_attr_ids_idx"`);
        await queryRunner.query(`ALTER TABLE "crash_hardware" DROP CONSTRAINT "FK_efb68621feea40b0172209aaa5c"`);
        await queryRunner.query(`DROP INDEX "public"."crash_hardware_candidate_idx"`);
        await queryRunner.query(`DROP TABLE "crash_hardware"`);
        await queryRunner.query(`DROP TABLE "hardware_attribute"`);
    }

}
