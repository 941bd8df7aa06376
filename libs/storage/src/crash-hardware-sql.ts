/** An EntityManager, DataSource or pg client: whatever runs the caller's transaction. */
interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** Advisory lock key guarding hardware_attribute ids between lookup and use ("hwdict" in ASCII). */
export const HARDWARE_DICTIONARY_LOCK = 0x687764696374;

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
  // Shared with every other writer; only pruneHardwareAttributes takes it exclusively (see there).
  await m.query('SELECT pg_advisory_xact_lock_shared($1)', [HARDWARE_DICTIONARY_LOCK]);
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

/**
 * Deletes the given hardware_attribute keys that no crash_hardware row uses any more (after an
 * erasure, a value only the erased host had must not outlive it). Run in a transaction of its own,
 * holding no other locks: the exclusive lock waits for writers that may hold an id they looked up
 * but have not committed yet, and later writers wait for this delete, then insert the key afresh.
 * Returns how many keys were deleted.
 */
export async function pruneHardwareAttributes(m: SqlRunner, ids: number[]): Promise<number> {
  if (!ids.length) return 0;
  await m.query('SELECT pg_advisory_xact_lock($1)', [HARDWARE_DICTIONARY_LOCK]);
  const result = await m.query(
    `WITH gone AS (
       DELETE FROM hardware_attribute a WHERE a.id = ANY($1::int[])
          AND NOT EXISTS (SELECT 1 FROM crash_hardware h WHERE h.attr_ids @> ARRAY[a.id]) RETURNING 1)
     SELECT count(*)::int AS n FROM gone`,
    [ids],
  );
  // TypeORM answers with the rows, a pg client with a result holding them.
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{ n: number }>;
  return rows[0].n;
}
