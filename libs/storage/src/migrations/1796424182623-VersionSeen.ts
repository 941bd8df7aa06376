import { MigrationInterface, QueryRunner } from "typeorm";
import { unchangedGuard } from "./1796422990615-CandidateCounts";

const COLUMNS = `candidate_id, package_name, package_version`;
/** candidate_version_seen's key of a crash_report row `r` with a package version. */
const KEY = `r.candidate_id, COALESCE(r.package_name, '') AS package_name, r.package_version`;

/** Keys whose reports or latest crash a statement changed. */
const touched = (sources: string[]) =>
    `SELECT DISTINCT ${COLUMNS} FROM (
       SELECT ${COLUMNS}, crashed_at FROM (
         ${sources.map((t) => `SELECT ${KEY}, r.crashed_at, ${t === 'new_rows' ? 1 : -1} AS d FROM ${t} r WHERE r.package_version IS NOT NULL`).join(' UNION ALL ')}) x
       GROUP BY ${COLUMNS}, crashed_at HAVING sum(d) <> 0) k`;

/** Recounts the touched keys from crash_report (a removed report may have been the latest), through crash_report_candidate_idx. */
const recount = (sources: string[]) => `
    DELETE FROM candidate_version_seen t USING (${touched(sources)}) k
     WHERE (t.candidate_id, t.package_name, t.package_version) = (k.candidate_id, k.package_name, k.package_version);
    INSERT INTO candidate_version_seen (${COLUMNS}, reports, last_crash)
    SELECT ${COLUMNS}, count(*)::int, max(crashed_at) FROM (
      SELECT ${KEY}, r.crashed_at FROM crash_report r
       WHERE r.package_version IS NOT NULL AND r.candidate_id IN (SELECT candidate_id FROM (${touched(sources)}) c)) x
     WHERE (${COLUMNS}) IN (SELECT ${COLUMNS} FROM (${touched(sources)}) k)
     GROUP BY ${COLUMNS} ORDER BY ${COLUMNS};`;

export class VersionSeen1796424182623 implements MigrationInterface {
    name = 'VersionSeen1796424182623'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "candidate_version_seen" ("candidate_id" uuid NOT NULL, "package_name" text NOT NULL, "package_version" text NOT NULL, "reports" integer NOT NULL, "last_crash" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_6b965e130225056c4130bfb5402" PRIMARY KEY ("candidate_id", "package_name", "package_version"))`);
        await queryRunner.query(`CREATE INDEX "candidate_version_seen_package_idx" ON "candidate_version_seen"  ("package_name", "package_version", "last_crash") `);
        // Hand-written from here on. Reports stored before this migration are counted in.
        await queryRunner.query(`INSERT INTO candidate_version_seen (${COLUMNS}, reports, last_crash)
            SELECT ${COLUMNS}, count(*)::int, max(crashed_at) FROM (SELECT ${KEY}, r.crashed_at FROM crash_report r WHERE r.package_version IS NOT NULL) k
             GROUP BY ${COLUMNS}`);
        // Statement triggers keep it right in the writer's transaction, whichever path writes crash_report.
        await queryRunner.query(`CREATE FUNCTION crash_report_versions_insert() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
              INSERT INTO candidate_version_seen AS t (${COLUMNS}, reports, last_crash)
              SELECT ${COLUMNS}, count(*)::int, max(crashed_at) FROM (SELECT ${KEY}, r.crashed_at FROM new_rows r WHERE r.package_version IS NOT NULL) k
               GROUP BY ${COLUMNS} ORDER BY ${COLUMNS}
              ON CONFLICT (${COLUMNS}) DO UPDATE SET reports = t.reports + EXCLUDED.reports, last_crash = GREATEST(t.last_crash, EXCLUDED.last_crash);
              RETURN NULL;
            END $fn$`);
        await queryRunner.query(`CREATE FUNCTION crash_report_versions_update() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
              ${unchangedGuard(['candidate_id', 'crashed_at', 'package_name', 'package_version'])}
              ${recount(['new_rows', 'old_rows'])}
              RETURN NULL;
            END $fn$`);
        await queryRunner.query(`CREATE FUNCTION crash_report_versions_delete() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
              ${recount(['old_rows'])}
              RETURN NULL;
            END $fn$`);
        await queryRunner.query(`CREATE TRIGGER crash_report_versions_insert AFTER INSERT ON crash_report REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION crash_report_versions_insert()`);
        await queryRunner.query(`CREATE TRIGGER crash_report_versions_update AFTER UPDATE ON crash_report REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION crash_report_versions_update()`);
        await queryRunner.query(`CREATE TRIGGER crash_report_versions_delete AFTER DELETE ON crash_report REFERENCING OLD TABLE AS old_rows
            FOR EACH STATEMENT EXECUTE FUNCTION crash_report_versions_delete()`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        for (const name of ['crash_report_versions_delete', 'crash_report_versions_update', 'crash_report_versions_insert']) {
            await queryRunner.query(`DROP TRIGGER ${name} ON crash_report`);
            await queryRunner.query(`DROP FUNCTION ${name}()`);
        }
        await queryRunner.query(`DROP INDEX "public"."candidate_version_seen_package_idx"`);
        await queryRunner.query(`DROP TABLE "candidate_version_seen"`);
    }

}
