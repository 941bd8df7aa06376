import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CandidateQuery } from '../../../../libs/contracts/src';

export interface CandidateRow {
  id: string;
  family: string;
  component: string;
  signatureText: string;
  exactHash: string;
  reportCount: number;
  occurrenceCount: number;
  hostCount: number;
  hotCount: number;
  firstSeen: Date;
  lastSeen: Date;
}

const SORTS: Record<CandidateQuery['sort'], string> = {
  count: 'c.report_count DESC',
  lastSeen: 'c.last_seen DESC',
  hosts: 'c.host_count DESC',
  hot: 'hot_count DESC',
};

/** Candidate list queries on PostgreSQL (the default search backend). */
@Injectable()
export class CandidateSearchRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async search(q: CandidateQuery, hotSince: Date): Promise<{ total: number; items: CandidateRow[] }> {
    const params: unknown[] = [hotSince];
    const where: string[] = ['c.merged_into_id IS NULL', 'c.report_count > 0'];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (q.type?.length) where.push(`c.family = ANY(${p(q.type)}::text[])`);
    if (q.component?.length) where.push(`c.component = ANY(${p(q.component)}::text[])`);
    const reportFilters: string[] = [];
    if (q.packageVersion?.length) reportFilters.push(`r.package_version = ANY(${p(q.packageVersion)}::text[])`);
    if (q.osRelease?.length) reportFilters.push(`r.os_release = ANY(${p(q.osRelease)}::text[])`);
    if (q.kernel?.length) reportFilters.push(`r.kernel = ANY(${p(q.kernel)}::text[])`);
    if (q.label) {
      const at = q.label.indexOf('=');
      reportFilters.push(`r.labels ->> ${p(q.label.slice(0, at))} = ${p(q.label.slice(at + 1))}`);
    }
    if (reportFilters.length) {
      where.push(`EXISTS (SELECT 1 FROM crash_report r WHERE r.candidate_id = c.id AND ${reportFilters.join(' AND ')})`);
    }
    if (q.firstSeenFrom) where.push(`c.first_seen >= ${p(q.firstSeenFrom)}`);
    if (q.firstSeenTo) where.push(`c.first_seen < ${p(q.firstSeenTo)}`);
    if (q.lastSeenFrom) where.push(`c.last_seen >= ${p(q.lastSeenFrom)}`);
    if (q.lastSeenTo) where.push(`c.last_seen < ${p(q.lastSeenTo)}`);
    if (q.function) {
      const like = p(`%${q.function.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
      where.push(
        `(c.signature_text ILIKE ${like} OR EXISTS (SELECT 1 FROM candidate_bucket b WHERE b.candidate_id = c.id AND b.function_name ILIKE ${like}))`,
      );
    }
    const whereSql = where.join(' AND ');
    // $1 (the hot window) is shared with the page query; typed here so both take the same params.
    const totalRows: Array<{ total: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM bug_candidate c WHERE ${whereSql} AND $1::timestamptz IS NOT NULL`,
      [...params],
    );
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT c.id, c.family, c.component, c.signature_text, c.exact_hash, c.report_count, c.occurrence_count,
              c.host_count, c.first_seen, c.last_seen,
              (SELECT count(*)::int FROM crash_report r WHERE r.candidate_id = c.id AND r.crashed_at >= $1) AS hot_count
         FROM bug_candidate c
        WHERE ${whereSql}
        ORDER BY ${SORTS[q.sort]}, c.id
        LIMIT ${p(q.limit)} OFFSET ${p(q.offset)}`,
      params,
    );
    return {
      total: totalRows[0]?.total ?? 0,
      items: rows.map((r) => ({
        id: r.id as string,
        family: r.family as string,
        component: r.component as string,
        signatureText: r.signature_text as string,
        exactHash: r.exact_hash as string,
        reportCount: r.report_count as number,
        occurrenceCount: r.occurrence_count as number,
        hostCount: r.host_count as number,
        hotCount: r.hot_count as number,
        firstSeen: r.first_seen as Date,
        lastSeen: r.last_seen as Date,
      })),
    };
  }
}
