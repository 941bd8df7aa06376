/** An EntityManager, DataSource or pg client: whatever runs the caller's transaction. */
interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * Copies crash reports' host key, time, candidate and hardware attributes into crash_hardware,
 * coding each `attribute=value` as a hardware_attribute id (new ones are added first). Every writer
 * of those crash_report columns calls this in its own transaction, so the copy never drifts;
 * without `reportIds` every report is copied (bulk loads).
 *
 * Two statements on purpose: the second one's snapshot sees keys a concurrent transaction
 * committed while the first waited on them (ON CONFLICT DO NOTHING does not return those).
 */
export async function syncCrashHardware(m: SqlRunner, reportIds?: string[]): Promise<void> {
  if (reportIds && !reportIds.length) return;
  const where = reportIds ? 'WHERE r.id = ANY($1::uuid[])' : '';
  const params = reportIds ? [reportIds] : [];
  // Sorted so concurrent writers take the new keys' locks in one order.
  await m.query(
    `INSERT INTO hardware_attribute (key) SELECT DISTINCT unnest(r.hardware_attrs) FROM crash_report r ${where} ORDER BY 1
     ON CONFLICT (key) DO NOTHING`,
    params,
  );
  await m.query(
    `INSERT INTO crash_hardware (report_id, candidate_id, host_key, crashed_at, attr_ids)
     SELECT r.id, r.candidate_id, r.host_key, r.crashed_at, ${hardwareAttributeIds('r.hardware_attrs')}
       FROM crash_report r ${where}
     ON CONFLICT (report_id) DO UPDATE
        SET candidate_id = EXCLUDED.candidate_id, host_key = EXCLUDED.host_key, crashed_at = EXCLUDED.crashed_at, attr_ids = EXCLUDED.attr_ids`,
    params,
  );
}

/** SQL for the ids of the `attribute=value` keys in a text[] expression; unknown keys have none. */
export function hardwareAttributeIds(keys: string): string {
  return `ARRAY(SELECT a.id FROM hardware_attribute a WHERE a.key = ANY(${keys}::text[]) ORDER BY a.id)`;
}
