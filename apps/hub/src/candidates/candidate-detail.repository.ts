import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { BugCandidateEntity, CrashReportEntity, GroupingRuleEntity } from '../../../../libs/storage/src/entities';

export interface CountBy {
  value: string | null;
  reports: number;
}

/** Reads behind the candidate detail view and hash lookups. */
@Injectable()
export class CandidateDetailRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findCandidate(id: string): Promise<BugCandidateEntity | null> {
    return this.dataSource.getRepository(BugCandidateEntity).findOne({ where: { id } });
  }

  findCandidates(ids: string[]): Promise<BugCandidateEntity[]> {
    return ids.length ? this.dataSource.getRepository(BugCandidateEntity).find({ where: { id: In(ids) } }) : Promise.resolve([]);
  }

  reports(candidateId: string, limit: number): Promise<CrashReportEntity[]> {
    return this.dataSource
      .getRepository(CrashReportEntity)
      .find({ where: { candidateId }, order: { crashedAt: 'DESC' }, take: limit });
  }

  async countBy(candidateId: string, column: 'package_version' | 'os_release' | 'kernel' | 'architecture'): Promise<CountBy[]> {
    return this.dataSource.query(
      `SELECT ${column} AS value, count(*)::int AS reports FROM crash_report
        WHERE candidate_id = $1 GROUP BY ${column} ORDER BY reports DESC, value LIMIT 50`,
      [candidateId],
    );
  }

  async labelCounts(candidateId: string): Promise<Array<{ name: string; value: string; reports: number }>> {
    return this.dataSource.query(
      `SELECT l.key AS name, l.value, count(*)::int AS reports
         FROM crash_report r, jsonb_each_text(r.labels) l
        WHERE r.candidate_id = $1 GROUP BY l.key, l.value ORDER BY reports DESC LIMIT 100`,
      [candidateId],
    );
  }

  async hashes(candidateId: string): Promise<{ exact: string[]; duphash: string[]; bthash: string[] }> {
    const rows: Array<{ exact: string[] | null; duphash: string[] | null; bthash: string[] | null }> = await this.dataSource.query(
      `SELECT array_agg(DISTINCT exact_hash) AS exact,
              array_agg(DISTINCT duphash) FILTER (WHERE duphash IS NOT NULL) AS duphash,
              array_agg(DISTINCT bthash) FILTER (WHERE bthash IS NOT NULL) AS bthash
         FROM crash_report WHERE candidate_id = $1`,
      [candidateId],
    );
    return { exact: rows[0]?.exact ?? [], duphash: rows[0]?.duphash ?? [], bthash: rows[0]?.bthash ?? [] };
  }

  rules(candidateId: string): Promise<GroupingRuleEntity[]> {
    return this.dataSource.getRepository(GroupingRuleEntity).find({ where: { targetCandidateId: candidateId } });
  }

  async trackerLinks(candidateId: string): Promise<Array<{ type: string; data: string }>> {
    return this.dataSource.query(
      `SELECT DISTINCT a.type, a.data FROM report_attachment a
         JOIN crash_report r ON r.bthash = a.bthash WHERE r.candidate_id = $1`,
      [candidateId],
    );
  }

  /** Candidate ids (surviving merges) holding a report with this duphash, bthash or exact signature. */
  async candidatesByHash(hash: string): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT DISTINCT COALESCE(c.merged_into_id, c.id) AS id
         FROM crash_report r JOIN bug_candidate c ON c.id = r.candidate_id
        WHERE r.duphash = $1 OR r.bthash = $1 OR r.exact_hash = $1`,
      [hash],
    );
    return rows.map((r) => r.id);
  }
}
