import { MigrationInterface, QueryRunner } from "typeorm";

/** Keys crash_report carries rig labels under (RIG_LABEL_KEYS as of this migration): any of them makes a report a rig report. */
const RIG_KEYS = `ARRAY['rig', 'test_run', 'build', 'test_name']`;
/** The labels /rigs groups by. */
const RUN_KEYS = `ARRAY['rig', 'build', 'test_run']`;

/** candidate_day_count's key of a crash_report row `r`. */
const dayKey = (r: string) =>
    `${r}.candidate_id, (${r}.crashed_at AT TIME ZONE 'UTC')::date AS day,
     CASE WHEN ${r}.labels ?| ${RIG_KEYS} THEN 'rig' ELSE 'field' END AS origin,
     COALESCE(${r}.package_version, '') AS package_version,
     COALESCE((SELECT min(substr(x, length('product.version=') + 1)) FROM unnest(${r}.hardware_attrs) x WHERE x LIKE 'product.version=%'), '') AS product_version`;
const DAY_COLUMNS = `candidate_id, day, origin, package_version, product_version`;

/** rig_run_count's key of a rig-labelled crash_report row `r`. */
const runKey = (r: string) =>
    `COALESCE(${r}.labels ->> 'rig', '') AS rig, COALESCE(${r}.labels ->> 'build', '') AS build,
     COALESCE(${r}.labels ->> 'test_run', '') AS test_run, ${r}.candidate_id`;
const RUN_COLUMNS = `rig, build, test_run, candidate_id`;

/**
 * Leaves an UPDATE trigger early when no row changed any of `columns` (most updates rewrite frames,
 * grouping input or the like): one join of the transition tables instead of the recounts.
 */
export const unchangedGuard = (columns: string[], key = 'id') => `
    IF NOT EXISTS (SELECT 1 FROM old_rows o LEFT JOIN new_rows n ON n.${key} = o.${key}
                    WHERE n.${key} IS NULL OR (${columns.map((c) => `o.${c}`).join(', ')}) IS DISTINCT FROM (${columns.map((c) => `n.${c}`).join(', ')})) THEN
      RETURN NULL;
    END IF;`;

/** Net report count per candidate_day_count key over a statement's transition tables. */
const dayDelta = (sources: Array<[string, 1 | -1]>) =>
    `SELECT ${DAY_COLUMNS}, sum(d)::int AS n FROM (
       ${sources.map(([t, d]) => `SELECT ${dayKey('r')}, ${d} AS d FROM ${t} r`).join(' UNION ALL ')}) k
     GROUP BY ${DAY_COLUMNS} HAVING sum(d) <> 0`;

/** Adds a delta to candidate_day_count (sorted, so concurrent writers lock rows in one order), then drops emptied rows. */
const applyDayDelta = (delta: string, mayEmpty: boolean) => `
    INSERT INTO candidate_day_count AS t (${DAY_COLUMNS}, reports)
    SELECT ${DAY_COLUMNS}, n FROM (${delta}) d ORDER BY ${DAY_COLUMNS}
    ON CONFLICT (${DAY_COLUMNS}) DO UPDATE SET reports = t.reports + EXCLUDED.reports;
    ${mayEmpty ? `DELETE FROM candidate_day_count t USING (${delta}) d
      WHERE (t.candidate_id, t.day, t.origin, t.package_version, t.product_version) = (d.candidate_id, d.day, d.origin, d.package_version, d.product_version)
        AND t.reports <= 0;` : ''}`;

/** rig_run_count keys whose reports or crash times a statement changed. */
const touchedRuns = (sources: string[]) =>
    `SELECT DISTINCT ${RUN_COLUMNS} FROM (
       SELECT ${RUN_COLUMNS}, crashed_at, sum(d) FROM (
         ${sources.map((t) => `SELECT ${runKey('r')}, r.crashed_at, ${t === 'new_rows' ? 1 : -1} AS d FROM ${t} r WHERE r.labels ?| ${RUN_KEYS}`).join(' UNION ALL ')}) x
       GROUP BY ${RUN_COLUMNS}, crashed_at HAVING sum(d) <> 0) k`;

/** Recounts the touched runs from crash_report: a removed report may have been a run's first or last crash. */
const recountRuns = (sources: string[]) => `
    DELETE FROM rig_run_count t USING (${touchedRuns(sources)}) k
     WHERE (t.rig, t.build, t.test_run, t.candidate_id) = (k.rig, k.build, k.test_run, k.candidate_id);
    INSERT INTO rig_run_count (${RUN_COLUMNS}, reports, first_crash, last_crash)
    SELECT ${RUN_COLUMNS}, count(*)::int, min(crashed_at), max(crashed_at) FROM (
      SELECT ${runKey('r')}, r.crashed_at FROM crash_report r
       WHERE r.labels ?| ${RUN_KEYS} AND r.candidate_id IN (SELECT candidate_id FROM (${touchedRuns(sources)}) c)) x
     WHERE (${RUN_COLUMNS}) IN (SELECT ${RUN_COLUMNS} FROM (${touchedRuns(sources)}) k)
     GROUP BY ${RUN_COLUMNS} ORDER BY ${RUN_COLUMNS};`;

export class CandidateCounts1796422990615 implements MigrationInterface {
    name = 'CandidateCounts1796422990615'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "candidate_day_count" ("candidate_id" uuid NOT NULL, "day" date NOT NULL, "origin" text NOT NULL, "package_version" text NOT NULL, "product_version" text NOT NULL, "reports" integer NOT NULL, CONSTRAINT "PK_b7124a29ade9d1aeeb33b964e8c" PRIMARY KEY ("candidate_id", "day", "origin", "package_version", "product_version"))`);
        await queryRunner.query(`CREATE TABLE "rig_run_count" ("rig" text NOT NULL, "build" text NOT NULL, "test_run" text NOT NULL, "candidate_id" uuid NOT NULL, "reports" integer NOT NULL, "first_crash" TIMESTAMP WITH TIME ZONE NOT NULL, "last_crash" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_bf8fa0d3248982f5c1a1eeeea3b" PRIMARY KEY ("rig", "build", "test_run", "candidate_id"))`);
        // Hand-written from here on. The console's report list order (crashed_at DESC, id), read from the index in order.
        await queryRunner.query(`DROP INDEX "public"."crash_report_candidate_idx"`);
        await queryRunner.query(`CREATE INDEX "crash_report_candidate_idx" ON "crash_report" ("candidate_id", "crashed_at" DESC, "id")`);
        // Reports stored before this migration are counted in.
        await queryRunner.query(`INSERT INTO candidate_day_count (${DAY_COLUMNS}, reports)
            SELECT ${DAY_COLUMNS}, count(*)::int FROM (SELECT ${dayKey('r')} FROM crash_report r) k GROUP BY ${DAY_COLUMNS}`);
        await queryRunner.query(`INSERT INTO rig_run_count (${RUN_COLUMNS}, reports, first_crash, last_crash)
            SELECT ${RUN_COLUMNS}, count(*)::int, min(crashed_at), max(crashed_at)
              FROM (SELECT ${runKey('r')}, r.crashed_at FROM crash_report r WHERE r.labels ?| ${RUN_KEYS}) k GROUP BY ${RUN_COLUMNS}`);
        // Statement triggers keep both tables right in the writer's own transaction, whichever path writes
        // crash_report (ingest, merge, split, regrouping, reprocess, host relink, erasure): one aggregate per
        // statement over its transition tables, not one upsert per row.
        await queryRunner.query(`CREATE FUNCTION crash_report_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
              ${applyDayDelta(dayDelta([['new_rows', 1]]), false)}
              INSERT INTO rig_run_count AS t (${RUN_COLUMNS}, reports, first_crash, last_crash)
              SELECT ${RUN_COLUMNS}, count(*)::int, min(crashed_at), max(crashed_at)
                FROM (SELECT ${runKey('r')}, r.crashed_at FROM new_rows r WHERE r.labels ?| ${RUN_KEYS}) k
               GROUP BY ${RUN_COLUMNS} ORDER BY ${RUN_COLUMNS}
              ON CONFLICT (${RUN_COLUMNS}) DO UPDATE SET reports = t.reports + EXCLUDED.reports,
                 first_crash = LEAST(t.first_crash, EXCLUDED.first_crash), last_crash = GREATEST(t.last_crash, EXCLUDED.last_crash);
              RETURN NULL;
            END $fn$`);
        await queryRunner.query(`CREATE FUNCTION crash_report_counts_update() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
              ${unchangedGuard(['candidate_id', 'crashed_at', 'labels', 'package_version', 'hardware_attrs'])}
              ${applyDayDelta(dayDelta([['new_rows', 1], ['old_rows', -1]]), true)}
              ${recountRuns(['new_rows', 'old_rows'])}
              RETURN NULL;
            END $fn$`);
        await queryRunner.query(`CREATE FUNCTION crash_report_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
              ${applyDayDelta(dayDelta([['old_rows', -1]]), true)}
              ${recountRuns(['old_rows'])}
              RETURN NULL;
            END $fn$`);
        await queryRunner.query(`CREATE TRIGGER crash_report_counts_insert AFTER INSERT ON crash_report REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION crash_report_counts_insert()`);
        await queryRunner.query(`CREATE TRIGGER crash_report_counts_update AFTER UPDATE ON crash_report REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION crash_report_counts_update()`);
        await queryRunner.query(`CREATE TRIGGER crash_report_counts_delete AFTER DELETE ON crash_report REFERENCING OLD TABLE AS old_rows
            FOR EACH STATEMENT EXECUTE FUNCTION crash_report_counts_delete()`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TRIGGER crash_report_counts_delete ON crash_report`);
        await queryRunner.query(`DROP TRIGGER crash_report_counts_update ON crash_report`);
        await queryRunner.query(`DROP TRIGGER crash_report_counts_insert ON crash_report`);
        await queryRunner.query(`DROP FUNCTION crash_report_counts_delete()`);
        await queryRunner.query(`DROP FUNCTION crash_report_counts_update()`);
        await queryRunner.query(`DROP FUNCTION crash_report_counts_insert()`);
        await queryRunner.query(`DROP INDEX "public"."crash_report_candidate_idx"`);
        await queryRunner.query(`CREATE INDEX "crash_report_candidate_idx" ON "crash_report" ("candidate_id", "crashed_at")`);
        await queryRunner.query(`DROP TABLE "rig_run_count"`);
        await queryRunner.query(`DROP TABLE "candidate_day_count"`);
    }

}
