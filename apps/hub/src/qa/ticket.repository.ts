import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { RIG_LABEL_KEYS } from '../../../../libs/contracts/src/crash/crash-delivery';
import { CandidateTicketEntity, JiraTicketEntity, RawReportEntity, TicketFilingEntity } from '../../../../libs/storage/src/entities';

const RIG_KEYS = Object.values(RIG_LABEL_KEYS);

export interface OriginCount {
  rig: boolean;
  reports: number;
  hosts: number;
}

/** Ticket links, filings, what Jira last said about each issue, and the facts a ticket is made of. */
@Injectable()
export class TicketRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(run: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(run);
  }

  links(candidateId: string): Promise<CandidateTicketEntity[]> {
    return this.dataSource.getRepository(CandidateTicketEntity).find({ where: { candidateId }, order: { createdAt: 'ASC' } });
  }

  candidatesOf(issueKey: string): Promise<CandidateTicketEntity[]> {
    return this.dataSource.getRepository(CandidateTicketEntity).find({ where: { issueKey } });
  }

  async linkedKeys(): Promise<string[]> {
    const rows: Array<{ issue_key: string }> = await this.dataSource.query('SELECT DISTINCT issue_key FROM candidate_ticket ORDER BY issue_key');
    return rows.map((r) => r.issue_key);
  }

  /** True when the link is new. */
  async addLink(m: EntityManager, candidateId: string, issueKey: string, origin: string, createdBy: string): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `INSERT INTO candidate_ticket (candidate_id, issue_key, origin, created_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING issue_key`,
      [candidateId, issueKey, origin, createdBy],
    );
    return rows.length > 0;
  }

  async removeLink(candidateId: string, issueKey: string): Promise<boolean> {
    const result = await this.dataSource.getRepository(CandidateTicketEntity).delete({ candidateId, issueKey });
    return (result.affected ?? 0) > 0;
  }

  /** Serialises filing decisions for one candidate across API processes and workers. */
  async lockCandidate(m: EntityManager, candidateId: string): Promise<void> {
    await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`ticket:${candidateId}`]);
  }

  findFilingByRequest(m: EntityManager, requestId: string): Promise<TicketFilingEntity | null> {
    return m.getRepository(TicketFilingEntity).findOne({ where: { requestId } });
  }

  findPendingFiling(m: EntityManager, candidateId: string): Promise<TicketFilingEntity | null> {
    return m.getRepository(TicketFilingEntity).findOne({ where: { candidateId, state: 'pending' } });
  }

  findFiling(id: string): Promise<TicketFilingEntity | null> {
    return this.dataSource.getRepository(TicketFilingEntity).findOne({ where: { id } });
  }

  async insertFiling(m: EntityManager, filing: Pick<TicketFilingEntity, 'requestId' | 'candidateId' | 'requestedBy' | 'fields'>): Promise<TicketFilingEntity> {
    return m.getRepository(TicketFilingEntity).save({ ...filing, state: 'pending', issueKey: null, outcome: null, attempts: 0, lastError: null });
  }

  async countFilingAttempt(id: string, error: string | null): Promise<void> {
    await this.dataSource.query('UPDATE ticket_filing SET attempts = attempts + 1, last_error = $2, updated_at = now() WHERE id = $1', [id, error]);
  }

  async finishFiling(m: EntityManager, id: string, state: 'done' | 'failed', issueKey: string | null, outcome: string | null, error: string | null): Promise<void> {
    await m.query(
      `UPDATE ticket_filing SET state = $2, issue_key = $3, outcome = $4, last_error = COALESCE($5, last_error), updated_at = now() WHERE id = $1`,
      [id, state, issueKey, outcome, error],
    );
  }

  /** Pending filings whose job may have been lost (Redis restarted, attempts used up while Jira was down). */
  async stalePendingFilings(olderThan: Date): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM ticket_filing WHERE state = 'pending' AND updated_at < $1 ORDER BY created_at LIMIT 100`,
      [olderThan],
    );
    return rows.map((r) => r.id);
  }

  tickets(keys: string[]): Promise<JiraTicketEntity[]> {
    if (!keys.length) return Promise.resolve([]);
    return this.dataSource.getRepository(JiraTicketEntity).createQueryBuilder('t').where('t.issue_key = ANY(:keys)', { keys }).getMany();
  }

  async saveTicket(ticket: JiraTicketEntity): Promise<void> {
    await this.dataSource.getRepository(JiraTicketEntity).save(ticket);
  }

  /** Reports and distinct hosts split by rig (a rig label present) and field. */
  async originCounts(candidateId: string): Promise<OriginCount[]> {
    return this.dataSource.query(
      `SELECT (labels ?| $2::text[]) AS rig, count(*)::int AS reports, count(DISTINCT host_key)::int AS hosts
         FROM crash_report WHERE candidate_id = $1 GROUP BY 1`,
      [candidateId, RIG_KEYS],
    );
  }

  /** Crashing hosts per package version. */
  async hostsPerVersion(candidateId: string): Promise<Array<{ version: string; hosts: number }>> {
    return this.dataSource.query(
      `SELECT package_version AS version, count(DISTINCT host_key)::int AS hosts FROM crash_report
        WHERE candidate_id = $1 AND package_version IS NOT NULL GROUP BY 1 ORDER BY hosts DESC, version LIMIT 20`,
      [candidateId],
    );
  }

  /** The newest report's raw upload: its stack still has file and line. */
  async newestRaw(candidateId: string): Promise<RawReportEntity | null> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      'SELECT id FROM crash_report WHERE candidate_id = $1 ORDER BY crashed_at DESC LIMIT 1',
      [candidateId],
    );
    return rows[0] ? this.dataSource.getRepository(RawReportEntity).findOne({ where: { id: rows[0].id } }) : null;
  }
}
