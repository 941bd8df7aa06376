import { Injectable } from '@nestjs/common';
import type { CoreSymbol } from '../../../../libs/crash-signature/src';
import { EntityManager } from 'typeorm';
import {
  BugCandidateEntity,
  CandidateExemplar,
  CrashReportEntity,
} from '../../../../libs/storage/src/entities';
import { insertCandidateHosts, syncCrashHardware } from '../../../../libs/storage/src/crash-hardware-sql';

export interface BucketHit {
  id: string;
  exemplars: CandidateExemplar[];
  /** Creation time in ms: the stable tie-break between equally near candidates. */
  order: number;
}

/** SQL behind grouping; every method runs on the caller's transaction manager. */
@Injectable()
export class CandidateRepository {
  /** Serializes grouping within one family+component so two workers cannot open twin candidates. */
  async lockComponent(m: EntityManager, family: string, component: string): Promise<void> {
    await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${family}/${component}`]);
  }

  async candidateForSignature(m: EntityManager, exactHash: string): Promise<{ candidateId: string; origin: string } | null> {
    const rows: Array<{ candidate_id: string; origin: string }> = await m.query(
      'SELECT candidate_id, origin FROM candidate_signature WHERE exact_hash = $1',
      [exactHash],
    );
    return rows[0] ? { candidateId: rows[0].candidate_id, origin: rows[0].origin } : null;
  }

  /** Follows QA merges to the surviving candidate. */
  async resolveMerged(m: EntityManager, candidateId: string): Promise<string> {
    let id = candidateId;
    for (let hops = 0; hops < 32; hops++) {
      const rows: Array<{ merged_into_id: string | null }> = await m.query(
        'SELECT merged_into_id FROM bug_candidate WHERE id = $1',
        [id],
      );
      if (!rows[0]?.merged_into_id) return id;
      id = rows[0].merged_into_id;
    }
    return id;
  }

  /**
   * Pre-bucketing as FAF does by shared function names: only candidates sharing a function
   * with the report are compared, best overlap first. Each key contributes at most
   * `perKey` of its newest postings, so the rows read stay bounded however many candidates exist;
   * rare, distinguishing functions have short lists and are read whole.
   */
  async bucketHits(m: EntityManager, family: string, component: string, keys: string[], limit: number, perKey: number): Promise<BucketHit[]> {
    if (!keys.length) return [];
    const rows: Array<{ id: string; exemplars: CandidateExemplar[]; created: string }> = await m.query(
      `SELECT c.id, c.exemplars, (extract(epoch FROM c.created_at) * 1000)::float8 AS created
         FROM (SELECT p.candidate_id, count(*) AS shared
                 FROM unnest($3::text[]) AS k(fn)
                 CROSS JOIN LATERAL (
                   SELECT candidate_id FROM candidate_bucket
                    WHERE family = $1 AND component = $2 AND function_name = k.fn
                    ORDER BY created_at DESC
                    LIMIT $5) p
                GROUP BY p.candidate_id
                ORDER BY shared DESC, p.candidate_id
                LIMIT $4) b
         JOIN bug_candidate c ON c.id = b.candidate_id AND c.merged_into_id IS NULL
        ORDER BY b.shared DESC, c.created_at, c.id`,
      [family, component, keys, limit, perKey],
    );
    return rows.map((r) => ({ id: r.id, exemplars: r.exemplars, order: Number(r.created) }));
  }

  async lookupSymbols(m: EntityManager, keys: Array<{ buildId: string; offset: number }>): Promise<CoreSymbol[]> {
    if (!keys.length) return [];
    const rows: Array<{ build_id: string; build_id_offset: string; function_name: string }> = await m.query(
      `SELECT s.build_id, s.build_id_offset, s.function_name
         FROM core_symbol s JOIN unnest($1::text[], $2::bigint[]) AS k(build_id, off)
           ON s.build_id = k.build_id AND s.build_id_offset = k.off`,
      [keys.map((k) => k.buildId), keys.map((k) => k.offset)],
    );
    return rows.map((r) => ({ buildId: r.build_id, offset: Number(r.build_id_offset), functionName: r.function_name }));
  }

  /** Returns how many symbols were new. */
  async saveSymbols(m: EntityManager, symbols: CoreSymbol[]): Promise<number> {
    if (!symbols.length) return 0;
    const inserted: unknown[] = await m.query(
      `INSERT INTO core_symbol (build_id, build_id_offset, function_name)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[]) ON CONFLICT DO NOTHING RETURNING 1`,
      [symbols.map((s) => s.buildId), symbols.map((s) => s.offset), symbols.map((s) => s.functionName)],
    );
    return inserted.length;
  }

  async createCandidate(
    m: EntityManager,
    values: Pick<BugCandidateEntity, 'family' | 'component' | 'exactHash' | 'signatureText' | 'representativeFrames' | 'exemplars' | 'firstSeen' | 'lastSeen'>,
  ): Promise<string> {
    const saved = await m.getRepository(BugCandidateEntity).save(
      m.getRepository(BugCandidateEntity).create({ ...values, reportCount: 0, occurrenceCount: 0, hostCount: 0 }),
    );
    return saved.id;
  }

  async pointSignature(m: EntityManager, exactHash: string, candidateId: string, origin: string): Promise<void> {
    await m.query(
      `INSERT INTO candidate_signature (exact_hash, candidate_id, origin) VALUES ($1, $2, $3)
       ON CONFLICT (exact_hash) DO UPDATE SET candidate_id = EXCLUDED.candidate_id, origin = EXCLUDED.origin`,
      [exactHash, candidateId, origin],
    );
  }

  async addBuckets(m: EntityManager, candidateId: string, family: string, component: string, keys: string[]): Promise<void> {
    if (!keys.length) return;
    await m.query(
      `INSERT INTO candidate_bucket (candidate_id, function_name, family, component)
       SELECT $1, k, $2, $3 FROM unnest($4::text[]) AS k
       ON CONFLICT DO NOTHING`,
      [candidateId, family, component, keys],
    );
  }

  async addExemplar(m: EntityManager, candidateId: string, exemplar: CandidateExemplar, max: number): Promise<void> {
    await m.query(
      `UPDATE bug_candidate SET exemplars = exemplars || jsonb_build_array($2::jsonb)
        WHERE id = $1 AND jsonb_array_length(exemplars) < $3`,
      [candidateId, JSON.stringify(exemplar), max],
    );
  }

  async insertReport(m: EntityManager, report: CrashReportEntity): Promise<void> {
    await m.getRepository(CrashReportEntity).save(report);
    await syncCrashHardware(m, [report.id]);
  }

  /** Counts one report into its candidate; distinct hosts through candidate_host. */
  async countReport(m: EntityManager, candidateId: string, crashedAt: Date, occurrences: number, hostKey: string | null): Promise<void> {
    let newHost = 0;
    if (hostKey) {
      const inserted: unknown[] = await m.query(
        `INSERT INTO candidate_host (candidate_id, host_key) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING host_key`,
        [candidateId, hostKey],
      );
      newHost = inserted.length;
    }
    await m.query(
      `UPDATE bug_candidate
          SET report_count = report_count + 1,
              occurrence_count = occurrence_count + $2,
              host_count = host_count + $3,
              first_seen = LEAST(first_seen, $4),
              last_seen = GREATEST(last_seen, $4)
        WHERE id = $1`,
      [candidateId, occurrences, newHost, crashedAt],
    );
  }

  /** Rebuilds a candidate's counters from its reports (after a merge or split). */
  async recount(m: EntityManager, candidateId: string): Promise<void> {
    await m.query('DELETE FROM candidate_host WHERE candidate_id = $1', [candidateId]);
    await insertCandidateHosts(m, candidateId);
    await m.query(
      `UPDATE bug_candidate c SET
          report_count = s.reports, occurrence_count = s.occurrences,
          first_seen = COALESCE(s.first_seen, c.first_seen), last_seen = COALESCE(s.last_seen, c.last_seen),
          host_count = (SELECT count(*)::int FROM candidate_host h WHERE h.candidate_id = c.id)
         FROM (SELECT count(*)::int AS reports, COALESCE(sum(occurrences), 0)::bigint AS occurrences,
                      min(crashed_at) AS first_seen, max(crashed_at) AS last_seen
                 FROM crash_report WHERE candidate_id = $1) s
        WHERE c.id = $1`,
      [candidateId],
    );
  }

  async moveReports(m: EntityManager, fromId: string, toId: string, exactHash?: string): Promise<number> {
    const params: unknown[] = [fromId, toId];
    let where = 'candidate_id = $1';
    if (exactHash) {
      params.push(exactHash);
      where += ' AND exact_hash = $3';
    }
    // crash_hardware carries the candidate too; both move in one statement.
    const moved: Array<{ n: number }> = await m.query(
      `WITH moved AS (UPDATE crash_report SET candidate_id = $2 WHERE ${where} RETURNING id),
            copies AS (UPDATE crash_hardware SET candidate_id = $2 WHERE report_id IN (SELECT id FROM moved))
       SELECT count(*)::int AS n FROM moved`,
      params,
    );
    return moved[0]!.n;
  }

  /** Signatures keep pointing at the merged-away candidate, so later hits say they followed the merge. */
  async moveLookups(m: EntityManager, fromId: string, toId: string): Promise<void> {
    await m.query(
      `INSERT INTO candidate_bucket (candidate_id, function_name, family, component, created_at)
       SELECT $2, function_name, family, component, created_at FROM candidate_bucket WHERE candidate_id = $1
       ON CONFLICT DO NOTHING`,
      [fromId, toId],
    );
    await m.query('DELETE FROM candidate_bucket WHERE candidate_id = $1', [fromId]);
    await m.query(
      `UPDATE bug_candidate t SET exemplars = (
          SELECT jsonb_agg(e) FROM (
            SELECT e FROM jsonb_array_elements(t.exemplars || (SELECT exemplars FROM bug_candidate WHERE id = $1)) e LIMIT 5) x)
        WHERE t.id = $2`,
      [fromId, toId],
    );
    await m.query('UPDATE bug_candidate SET merged_into_id = $2 WHERE id = $1 OR merged_into_id = $1', [fromId, toId]);
  }

  findCandidate(m: EntityManager, id: string): Promise<BugCandidateEntity | null> {
    return m.getRepository(BugCandidateEntity).findOne({ where: { id } });
  }

  findReport(m: EntityManager, id: string): Promise<CrashReportEntity | null> {
    return m.getRepository(CrashReportEntity).findOne({ where: { id } });
  }

  /** A merged-away candidate's Jira links go to the survivor, de-duplicated (several candidates may share a ticket). */
  async moveTicketLinks(m: EntityManager, fromId: string, toId: string): Promise<void> {
    await m.query(
      `INSERT INTO candidate_ticket (candidate_id, issue_key, origin, created_by)
       SELECT $2, issue_key, 'merged', created_by FROM candidate_ticket WHERE candidate_id = $1
       ON CONFLICT DO NOTHING`,
      [fromId, toId],
    );
    await m.query('DELETE FROM candidate_ticket WHERE candidate_id = $1', [fromId]);
  }
}
