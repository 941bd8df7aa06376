import { MigrationInterface, QueryRunner } from "typeorm";
import { unchangedGuard } from "./1796422990615-CandidateCounts";

const COLUMNS = `candidate_id, host_key, attr_ids`;

/** Groups (candidate, host, attribute set) whose reports or crash times a statement on crash_hardware changed. */
const touched = (sources: string[]) =>
    `SELECT DISTINCT ${COLUMNS} FROM (
       SELECT ${COLUMNS}, crashed_at FROM (
         ${sources.map((t) => `SELECT r.candidate_id, COALESCE(r.host_key, '') AS host_key, r.attr_ids, r.crashed_at, ${t === 'new_rows' ? 1 : -1} AS d FROM ${t} r`).join(' UNION ALL ')}) x
       GROUP BY ${COLUMNS}, crashed_at HAVING sum(d) <> 0) k`;

/**
 * Recounts the touched groups from crash_hardware (a removed crash may have been a group's first or
 * last), reading each through crash_hardware_candidate_host_idx (hostless crashes apart, so
 * both halves use the index).
 */
const recount = (sources: string[]) => `
    DELETE FROM candidate_host_hardware t USING (${touched(sources)}) k
     WHERE (t.candidate_id, t.host_key, t.attr_ids) = (k.candidate_id, k.host_key, k.attr_ids);
    INSERT INTO candidate_host_hardware (${COLUMNS}, reports, first_crash, last_crash)
    SELECT k.candidate_id, k.host_key, k.attr_ids, count(*)::int, min(h.crashed_at), max(h.crashed_at)
      FROM (${touched(sources)}) k
      JOIN crash_hardware h ON h.candidate_id = k.candidate_id AND h.host_key = k.host_key AND h.attr_ids = k.attr_ids
     GROUP BY 1, 2, 3
    UNION ALL
    SELECT k.candidate_id, k.host_key, k.attr_ids, count(*)::int, min(h.crashed_at), max(h.crashed_at)
      FROM (${touched(sources)}) k
      JOIN crash_hardware h ON h.candidate_id = k.candidate_id AND h.host_key IS NULL AND h.attr_ids = k.attr_ids
     WHERE k.host_key = ''
     GROUP BY 1, 2, 3;`;

export class HardwareGroups1796423296559 implements MigrationInterface {
    name = 'HardwareGroups1796423296559'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "candidate_host_hardware" ("candidate_id" uuid NOT NULL, "host_key" text NOT NULL, "attr_ids" integer array NOT NULL, "reports" integer NOT NULL, "first_crash" TIMESTAMP WITH TIME ZONE NOT NULL, "last_crash" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_6aa17a6391ff94710117fe3ef35" PRIMARY KEY ("candidate_id", "host_key", "attr_ids"))`);
        // Hand-written from here on. Crashes stored before this migration are folded in; the index is built after the load.
        await queryRunner.query(`INSERT INTO candidate_host_hardware (${COLUMNS}, reports, first_crash, last_crash)
            SELECT candidate_id, COALESCE(host_key, ''), attr_ids, count(*)::int, min(crashed_at), max(crashed_at)
              FROM crash_hardware GROUP BY 1, 2, 3`);
        // TypeORM cannot declare GIN indexes; hardware filters use && on this array.
        await queryRunner.query(`CREATE INDEX "candidate_host_hardware_attr_ids_idx" ON "candidate_host_hardware" USING gin ("attr_ids")`);
        // Statement triggers keep the groups right in the writer's transaction, whichever path writes
        // crash_hardware (syncCrashHardware, merge, split, regrouping, erasure's cascade).
        await queryRunner.query(`CREATE FUNCTION crash_hardware_groups_insert() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
              INSERT INTO candidate_host_hardware AS t (${COLUMNS}, reports, first_crash, last_crash)
              SELECT candidate_id, COALESCE(host_key, ''), attr_ids, count(*)::int, min(crashed_at), max(crashed_at)
                FROM new_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
              ON CONFLICT (${COLUMNS}) DO UPDATE SET reports = t.reports + EXCLUDED.reports,
                 first_crash = LEAST(t.first_crash, EXCLUDED.first_crash), last_crash = GREATEST(t.last_crash, EXCLUDED.last_crash);
              RETURN NULL;
            END $fn$`);
        await queryRunner.query(`CREATE FUNCTION crash_hardware_groups_update() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
              -- Most updates (syncCrashHardware refreshing a copy) change nothing counted here.
              ${unchangedGuard(['candidate_id', 'host_key', 'attr_ids', 'crashed_at'], 'report_id')}
              ${recount(['new_rows', 'old_rows'])}
              RETURN NULL;
            END $fn$`);
        await queryRunner.query(`CREATE FUNCTION crash_hardware_groups_delete() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
              ${recount(['old_rows'])}
              RETURN NULL;
            END $fn$`);
        await queryRunner.query(`CREATE TRIGGER crash_hardware_groups_insert AFTER INSERT ON crash_hardware REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION crash_hardware_groups_insert()`);
        await queryRunner.query(`CREATE TRIGGER crash_hardware_groups_update AFTER UPDATE ON crash_hardware REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION crash_hardware_groups_update()`);
        await queryRunner.query(`CREATE TRIGGER crash_hardware_groups_delete AFTER DELETE ON crash_hardware REFERENCING OLD TABLE AS old_rows
            FOR EACH STATEMENT EXECUTE FUNCTION crash_hardware_groups_delete()`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TRIGGER crash_hardware_groups_delete ON crash_hardware`);
        await queryRunner.query(`DROP TRIGGER crash_hardware_groups_update ON crash_hardware`);
        await queryRunner.query(`DROP TRIGGER crash_hardware_groups_insert ON crash_hardware`);
        await queryRunner.query(`DROP FUNCTION crash_hardware_groups_delete()`);
        await queryRunner.query(`DROP FUNCTION crash_hardware_groups_update()`);
        await queryRunner.query(`DROP FUNCTION crash_hardware_groups_insert()`);
        await queryRunner.query(`DROP INDEX "public"."candidate_host_hardware_attr_ids_idx"`);
        await queryRunner.query(`DROP TABLE "candidate_host_hardware"`);
    }

}
