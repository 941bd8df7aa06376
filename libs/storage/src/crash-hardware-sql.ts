/** An EntityManager, DataSource or pg client: whatever runs the caller's transaction. */
interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** Advisory lock key guarding hardware_attribute ids between lookup and use ("hwdict" in ASCII). */
export const HARDWARE_DICTIONARY_LOCK = 0x687764696374;

/**
 * Copies crash reports' host key, time, candidate and hardware attributes into crash_hardware,
 * coding each `attribute=value` as a hardware_attribute id (new ones are added first), and adds them
 * to candidate_host.attr_ids. Every writer of those crash_report columns calls this in its own
 * transaction, so the copy never drifts; without `reportIds` every report is copied (bulk loads,
 * which then build candidate_host themselves).
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
  // Bulk loads write candidate_host afterwards (insertCandidateHosts).
  if (!reportIds) return;
  // A new crash adds its attributes to its host's candidate_host row (counted in before it is stored).
  await m.query(
    `UPDATE candidate_host ch SET attr_ids = ARRAY(SELECT DISTINCT x FROM unnest(ch.attr_ids || n.ids) x ORDER BY 1)
       FROM (SELECT h.candidate_id, h.host_key, array_agg(DISTINCT i) AS ids
               FROM crash_hardware h CROSS JOIN unnest(h.attr_ids) i
              WHERE h.host_key IS NOT NULL AND h.report_id = ANY($1::uuid[]) GROUP BY 1, 2) n
      WHERE ch.candidate_id = n.candidate_id AND ch.host_key = n.host_key`,
    params,
  );
}

/** The union of attribute ids over a (candidate, host)'s crashes, for GROUP BY candidate_id, host_key over crash_hardware h. */
const HOST_ATTRIBUTE_UNION = `COALESCE(array_agg(DISTINCT i ORDER BY i) FILTER (WHERE i IS NOT NULL), '{}')`;

/**
 * Writes candidate_host (a row per host, with the union of its crashes' attributes) from
 * crash_hardware, for one candidate or for all (bulk loads); the candidate's rows must be gone.
 * Returns the rows written.
 */
export async function insertCandidateHosts(m: SqlRunner, candidateId?: string): Promise<number> {
  const result = await m.query(
    `WITH written AS (
       INSERT INTO candidate_host (candidate_id, host_key, attr_ids)
       SELECT h.candidate_id, h.host_key, ${HOST_ATTRIBUTE_UNION}
         FROM crash_hardware h LEFT JOIN LATERAL unnest(h.attr_ids) i ON true
        WHERE h.host_key IS NOT NULL ${candidateId ? 'AND h.candidate_id = $1' : ''}
        GROUP BY 1, 2 RETURNING 1)
     SELECT count(*)::int AS n FROM written`,
    candidateId ? [candidateId] : [],
  );
  return rowsOf<{ n: number }>(result)[0].n;
}

/**
 * Recomputes candidate_host.attr_ids of the (candidate, host) pairs of relinked reports: their
 * crashes may have lost values (an old profile's), which adding alone would keep.
 */
export async function rebuildCandidateHostAttributes(m: SqlRunner, reportIds: string[]): Promise<void> {
  if (!reportIds.length) return;
  await m.query(
    `UPDATE candidate_host ch SET attr_ids = u.ids
       FROM (SELECT h.candidate_id, h.host_key, ${HOST_ATTRIBUTE_UNION} AS ids
               FROM crash_hardware h LEFT JOIN LATERAL unnest(h.attr_ids) i ON true
              WHERE (h.candidate_id, h.host_key) IN (SELECT candidate_id, host_key FROM crash_hardware WHERE report_id = ANY($1::uuid[]))
              GROUP BY 1, 2) u
      WHERE ch.candidate_id = u.candidate_id AND ch.host_key = u.host_key`,
    [reportIds],
  );
}

/** TypeORM answers with the rows, a pg client with a result holding them. */
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as T[];
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
  return rowsOf<{ n: number }>(result)[0].n;
}
