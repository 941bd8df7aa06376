import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** The SQL behind crash identity: which stored reports are occurrences of one crash. */
@Injectable()
export class CrashIdentityRepository {
  /** Serializes intake of one crash across API processes until the transaction ends. */
  async lock(m: EntityManager, key: string): Promise<void> {
    await m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
  }

  /** Occurrences already stored for the crash, and its first report. */
  async covered(m: EntityManager, key: string): Promise<{ occurrences: number; firstId: string | null }> {
    const [row] = await m.query(
      `SELECT COALESCE(SUM(occurrences), 0)::int AS occurrences, (array_agg(id ORDER BY received_at, id))[1] AS "firstId"
         FROM raw_report WHERE crash_key = $1`,
      [key],
    );
    return { occurrences: row.occurrences, firstId: row.firstId ?? null };
  }

  /**
   * Makes a stock uReport that no crash has claimed yet an occurrence of this crash: the one
   * `reported_to` names by id, else the oldest with a recorded bthash. Waits for a worker
   * processing that uReport (its row is locked) rather than skipping it.
   */
  async claimUReport(m: EntityManager, key: string, reportIds: string[], bthashes: string[]): Promise<{ id: string; occurrences: number } | null> {
    if (!reportIds.length && !bthashes.length) return null;
    // TypeORM answers an UPDATE … RETURNING with [rows, affected count].
    const [rows]: [Array<{ id: string; occurrences: number }>, number] = await m.query(
      `UPDATE raw_report SET crash_key = $1
        WHERE id = (SELECT id FROM raw_report
                     WHERE crash_key IS NULL AND kind = 'ureport' AND bthash IS NOT NULL
                       AND (id = ANY($2::uuid[]) OR bthash = ANY($3::text[]))
                     ORDER BY (id = ANY($2::uuid[])) DESC, received_at
                     LIMIT 1 FOR UPDATE)
        RETURNING id, occurrences`,
      [key, reportIds, bthashes],
    );
    return rows[0] ?? null;
  }
}
