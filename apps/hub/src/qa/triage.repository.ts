import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { TriageRecord, VersionSeen, VersionActivity } from '../../../../libs/triage/src';
import { CandidateTriageEntity, JiraNoticeEntity, TriageLogEntity } from '../../../../libs/storage/src/entities';

/** Triage records, the triage log, once-only Jira notices and the poll watermark. */
@Injectable()
export class TriageRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(run: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(run);
  }

  /** Row-locked for the state change that follows. */
  async lockRecord(m: EntityManager, candidateId: string): Promise<TriageRecord | null> {
    await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`triage:${candidateId}`]);
    const row = await m.getRepository(CandidateTriageEntity).findOne({ where: { candidateId } });
    return row?.record ?? null;
  }

  find(candidateId: string): Promise<CandidateTriageEntity | null> {
    return this.dataSource.getRepository(CandidateTriageEntity).findOne({ where: { candidateId } });
  }

  async save(m: EntityManager, candidateId: string, state: string, record: TriageRecord): Promise<void> {
    await m.query(
      `INSERT INTO candidate_triage (candidate_id, state, record, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (candidate_id) DO UPDATE SET state = EXCLUDED.state, record = EXCLUDED.record, updated_at = now()`,
      [candidateId, state, JSON.stringify(record)],
    );
  }

  /** Candidates whose state depends on crashes arriving: a fix to verify or a manual state that may end. */
  async candidatesToEvaluate(): Promise<string[]> {
    const rows: Array<{ candidate_id: string }> = await this.dataSource.query(
      `SELECT candidate_id FROM candidate_triage
        WHERE record->>'state' IN ('fix-pending', 'verified-fixed') OR record->'manual' <> 'null'::jsonb`,
    );
    return rows.map((r) => r.candidate_id);
  }

  async log(m: EntityManager | null, candidateId: string, actor: string, action: string, detail: Record<string, unknown> = {}, at?: Date): Promise<void> {
    await (m ?? this.dataSource.manager).query(
      'INSERT INTO triage_log (candidate_id, actor, action, detail, at) VALUES ($1, $2, $3, $4, COALESCE($5, now()))',
      [candidateId, actor, action, JSON.stringify(detail), at ?? null],
    );
  }

  logOf(candidateId: string): Promise<TriageLogEntity[]> {
    return this.dataSource.getRepository(TriageLogEntity).find({ where: { candidateId }, order: { at: 'ASC', id: 'ASC' } });
  }

  /** Newest crash per package version since a time. */
  async versionsSince(candidateId: string, since: Date): Promise<VersionSeen[]> {
    const rows: Array<{ version: string | null; last_at: Date }> = await this.dataSource.query(
      `SELECT package_version AS version, max(crashed_at) AS last_at FROM crash_report
        WHERE candidate_id = $1 AND crashed_at > $2 GROUP BY 1`,
      [candidateId, since],
    );
    return rows.map((r) => ({ version: r.version, lastAt: new Date(r.last_at).toISOString() }));
  }

  async reportCount(candidateId: string): Promise<number> {
    const rows: Array<{ n: number }> = await this.dataSource.query('SELECT report_count AS n FROM bug_candidate WHERE id = $1', [candidateId]);
    return rows[0]?.n ?? 0;
  }

  /** Last crash per version of this candidate, and of every candidate of the same package (versions in use). */
  async versionActivity(candidateId: string): Promise<{ candidate: VersionActivity[]; inUse: VersionActivity[] }> {
    // Read from candidate_version_seen (kept by triggers on crash_report), not from every report of the packages.
    const candidate: Array<{ version: string; last_seen: Date }> = await this.dataSource.query(
      `SELECT package_version AS version, max(last_crash) AS last_seen FROM candidate_version_seen WHERE candidate_id = $1 GROUP BY 1`,
      [candidateId],
    );
    const inUse: Array<{ version: string; last_seen: Date }> = await this.dataSource.query(
      `SELECT v.package_version AS version, max(v.last_crash) AS last_seen FROM candidate_version_seen v
        WHERE v.package_name IN (SELECT DISTINCT package_name FROM candidate_version_seen WHERE candidate_id = $1 AND package_name <> '')
        GROUP BY 1`,
      [candidateId],
    );
    const shape = (rows: Array<{ version: string; last_seen: Date }>) => rows.map((r) => ({ version: r.version, lastSeen: new Date(r.last_seen).toISOString() }));
    return { candidate: shape(candidate), inUse: shape(inUse) };
  }

  /** Claims a notice; false when it was claimed before (it is then never sent again). */
  async claimNotice(noticeKey: string, candidateId: string, issueKey: string, detail: Record<string, unknown>): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO jira_notice (notice_key, candidate_id, issue_key, detail) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING notice_key`,
      [noticeKey, candidateId, issueKey, JSON.stringify(detail)],
    );
    return rows.length > 0;
  }

  /** Claimed notices whose Jira call failed: sent again on the next sync. */
  unsentNotices(): Promise<JiraNoticeEntity[]> {
    return this.dataSource.getRepository(JiraNoticeEntity).createQueryBuilder('n').where('n.done_at IS NULL').orderBy('n.created_at').limit(100).getMany();
  }

  async finishNotice(noticeKey: string, error: string | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE jira_notice SET done_at = CASE WHEN $2::text IS NULL THEN now() ELSE NULL END, last_error = $2 WHERE notice_key = $1`,
      [noticeKey, error],
    );
  }

  async lastPoll(): Promise<Date | null> {
    const rows: Array<{ last_poll: Date }> = await this.dataSource.query(`SELECT last_poll FROM jira_sync_state WHERE id = 'poll'`);
    return rows[0]?.last_poll ?? null;
  }

  async setLastPoll(at: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO jira_sync_state (id, last_poll) VALUES ('poll', $1) ON CONFLICT (id) DO UPDATE SET last_poll = EXCLUDED.last_poll`,
      [at],
    );
  }
}
