/** Anything that runs SQL: a DataSource or EntityManager (answers rows) or a pg client (answers a result holding them). */
interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * Each pre-aggregated table beside a from-scratch recount of crash_report / crash_hardware, as
 * the rows one has and the other lacks (an empty list: they agree).
 */
const CHECKS: Record<string, { kept: string; recount: string }> = {
  candidate_day_count: {
    kept: `SELECT candidate_id, day, origin, package_version, product_version, reports FROM candidate_day_count`,
    recount: `SELECT candidate_id, (crashed_at AT TIME ZONE 'UTC')::date AS day,
                     CASE WHEN labels ?| ARRAY['rig', 'test_run', 'build', 'test_name'] THEN 'rig' ELSE 'field' END AS origin,
                     COALESCE(package_version, '') AS package_version,
                     COALESCE((SELECT min(substr(x, 17)) FROM unnest(hardware_attrs) x WHERE x LIKE 'product.version=%'), '') AS product_version,
                     count(*)::int AS reports
                FROM crash_report GROUP BY 1, 2, 3, 4, 5`,
  },
  rig_run_count: {
    kept: `SELECT rig, build, test_run, candidate_id, reports, first_crash, last_crash FROM rig_run_count`,
    recount: `SELECT COALESCE(labels ->> 'rig', ''), COALESCE(labels ->> 'build', ''), COALESCE(labels ->> 'test_run', ''), candidate_id,
                     count(*)::int, min(crashed_at), max(crashed_at)
                FROM crash_report WHERE labels ?| ARRAY['rig', 'build', 'test_run'] GROUP BY 1, 2, 3, 4`,
  },
  candidate_host_hardware: {
    kept: `SELECT candidate_id, host_key, attr_ids, reports, first_crash, last_crash FROM candidate_host_hardware`,
    recount: `SELECT candidate_id, COALESCE(host_key, ''), attr_ids, count(*)::int, min(crashed_at), max(crashed_at)
                FROM crash_hardware GROUP BY 1, 2, 3`,
  },
  candidate_attribute_hosts: {
    kept: `SELECT candidate_id, attr_id, hosts FROM candidate_attribute_hosts`,
    recount: `SELECT candidate_id, i, count(*)::int FROM (
                SELECT candidate_id, attr_ids FROM candidate_host UNION ALL SELECT candidate_id, attr_ids FROM crash_hardware WHERE host_key IS NULL) h
                CROSS JOIN unnest(h.attr_ids) i GROUP BY 1, 2`,
  },
  candidate_attribute_known: {
    kept: `SELECT candidate_id, attribute, hosts FROM candidate_attribute_known`,
    recount: `SELECT candidate_id, attribute, count(*)::int FROM (
                SELECT DISTINCT h.n, h.candidate_id, split_part(k.key, '=', 1) AS attribute FROM (
                  SELECT row_number() OVER () AS n, candidate_id, attr_ids FROM (
                    SELECT candidate_id, attr_ids FROM candidate_host UNION ALL SELECT candidate_id, attr_ids FROM crash_hardware WHERE host_key IS NULL) x) h
                  CROSS JOIN unnest(h.attr_ids) i JOIN hardware_attribute k ON k.id = i) y
              GROUP BY 1, 2`,
  },
  candidate_version_seen: {
    kept: `SELECT candidate_id, package_name, package_version, reports, last_crash FROM candidate_version_seen`,
    recount: `SELECT candidate_id, COALESCE(package_name, ''), package_version, count(*)::int, max(crashed_at)
                FROM crash_report WHERE package_version IS NOT NULL GROUP BY 1, 2, 3`,
  },
};

export async function aggregateMismatches(db: Queryable): Promise<string[]> {
  const out: string[] = [];
  for (const [table, { kept, recount }] of Object.entries(CHECKS)) {
    const result = await db.query(
      `SELECT 'kept only' AS side, row_to_json(x)::text AS row FROM ((${kept}) EXCEPT ALL (${recount})) x
       UNION ALL
       SELECT 'recount only', row_to_json(y)::text FROM ((${recount}) EXCEPT ALL (${kept})) y`,
    );
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{ side: string; row: string }>;
    out.push(...rows.map((r) => `${table} ${r.side}: ${r.row}`));
  }
  return out;
}
