import type { DataSource } from 'typeorm';
import type { CandidateQuery } from '../../contracts/src';
import { hardwareAttributeIds } from '../../storage/src/crash-hardware-sql';
import { CandidateSearch, type CandidatePage } from './candidate-search';
import { hardwareFilterGroups } from './hardware-filter-groups';

/**
 * Hot reports of a candidate_host_hardware group h ($1 = the hot window's start): all of them, none, or
 * (crashes both sides of the start) counted from the group's own crashes.
 */
const HOT_REPORTS = `CASE WHEN h.first_crash >= $1 THEN h.reports WHEN h.last_crash < $1 THEN 0
     WHEN h.host_key = '' THEN (SELECT count(*) FROM crash_hardware x
          WHERE x.candidate_id = h.candidate_id AND x.host_key IS NULL AND x.attr_ids = h.attr_ids AND x.crashed_at >= $1)
     ELSE (SELECT count(*) FROM crash_hardware x
          WHERE x.candidate_id = h.candidate_id AND x.host_key = h.host_key AND x.attr_ids = h.attr_ids AND x.crashed_at >= $1) END`;

const SORTS: Record<CandidateQuery['sort'], string> = {
  count: 'm.matched_reports DESC',
  lastSeen: 'm.last_seen DESC',
  hosts: 'm.matched_hosts DESC',
  hot: 'm.hot_count DESC',
};

/**
 * Ranks candidates straight from the hub's tables. Report-level filters (version, OS, kernel,
 * label, function, host hardware) aggregate the matching crash_report rows, so the numbers mean the same as the
 * Elasticsearch backend's; hardware filters alone aggregate the same counts from candidate_host_hardware, and
 * without filters the counters kept on bug_candidate (and candidate_day_count for hot reports) are used instead.
 */
export class PostgresCandidateSearch extends CandidateSearch {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async search(q: CandidateQuery, hotSince: Date): Promise<CandidatePage> {
    const params: unknown[] = [hotSince];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const candidateWhere = ['c.merged_into_id IS NULL'];
    if (q.type?.length) candidateWhere.push(`c.family = ANY(${p(q.type)}::text[])`);
    if (q.component?.length) candidateWhere.push(`c.component = ANY(${p(q.component)}::text[])`);
    // A candidate nobody triaged has no candidate_triage row: it is new. Uncorrelated subqueries, so the
    // planner hashes the (small) triaged set once instead of probing it per matching report.
    if (q.state?.length) {
      const listed = `c.id IN (SELECT t.candidate_id FROM candidate_triage t WHERE t.state = ANY(${p(q.state)}::text[]))`;
      candidateWhere.push(q.state.includes('new') ? `(${listed} OR c.id NOT IN (SELECT t.candidate_id FROM candidate_triage t))` : listed);
    }
    const reportWhere: string[] = [];
    if (q.packageVersion?.length) reportWhere.push(`r.package_version = ANY(${p(q.packageVersion)}::text[])`);
    if (q.osRelease?.length) reportWhere.push(`r.os_release = ANY(${p(q.osRelease)}::text[])`);
    if (q.kernel?.length) reportWhere.push(`r.kernel = ANY(${p(q.kernel)}::text[])`);
    if (q.label) {
      const at = q.label.indexOf('=');
      reportWhere.push(`r.labels ->> ${p(q.label.slice(0, at))} = ${p(q.label.slice(at + 1))}`);
    }
    // One GIN-indexed overlap test per attribute (any of its values), on the narrow integer-coded copy.
    const groups = hardwareFilterGroups(q);
    const hardwareWhere = groups.map((group) => `h.attr_ids && ${hardwareAttributeIds(p(group))}`);
    if (q.function) {
      const like = p(`%${q.function.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
      reportWhere.push(
        `(r.signature_text ILIKE ${like} OR EXISTS (SELECT 1 FROM jsonb_array_elements(r.normalized_frames) AS f(frame) WHERE f.frame ->> 'function' ILIKE ${like}))`,
      );
    }
    const where = [...candidateWhere, ...hardwareWhere, ...reportWhere].join(' AND ');
    let matched: string;
    // Ranked by reports or last crash, hosts and hot reports are counted for the page's candidates only (below).
    const hostsForPage = hardwareWhere.length > 0 && !reportWhere.length && (q.sort === 'count' || q.sort === 'lastSeen');
    if (hostsForPage) {
      // ($1, the hot window's start, is typed here though only the page's count below uses it.)
      matched = `SELECT h.candidate_id AS id, sum(h.reports)::int AS matched_reports, NULL::int AS matched_hosts, NULL::int AS hot_count,
                        min(h.first_crash) AS first_seen, max(h.last_crash) AS last_seen, $1::timestamptz AS hot_since
                   FROM candidate_host_hardware h JOIN bug_candidate c ON c.id = h.candidate_id
                  WHERE ${where}
                  GROUP BY h.candidate_id`;
    } else if (hardwareWhere.length && !reportWhere.length) {
      // Hardware filters alone read candidate_host_hardware: crash_hardware folded per (candidate, host,
      // attribute set), about a fifth of its rows, with the same answers.
      matched = `SELECT g.id, sum(g.reports)::int AS matched_reports, count(g.host)::int AS matched_hosts, sum(g.hot)::int AS hot_count,
                        min(g.first_seen) AS first_seen, max(g.last_seen) AS last_seen
                   FROM (SELECT h.candidate_id AS id, NULLIF(h.host_key, '') AS host, sum(h.reports) AS reports, sum(${HOT_REPORTS}) AS hot,
                                min(h.first_crash) AS first_seen, max(h.last_crash) AS last_seen
                           FROM candidate_host_hardware h JOIN bug_candidate c ON c.id = h.candidate_id
                          WHERE ${where}
                          GROUP BY h.candidate_id, h.host_key) g
                  GROUP BY g.id`;
    } else if (hardwareWhere.length || reportWhere.length) {
      // With hardware filters the matching rows come from crash_hardware (~100 bytes a report, against
      // crash_report's ~2 KB); crash_report is joined only for the other report-level filters.
      const t = hardwareWhere.length ? 'h' : 'r';
      const reports = hardwareWhere.length
        ? 'crash_hardware h JOIN bug_candidate c ON c.id = h.candidate_id JOIN crash_report r ON r.id = h.report_id'
        : 'crash_report r JOIN bug_candidate c ON c.id = r.candidate_id';
      matched = `SELECT ${t}.candidate_id AS id, count(*)::int AS matched_reports, count(DISTINCT ${t}.host_key)::int AS matched_hosts,
                count(*) FILTER (WHERE ${t}.crashed_at >= $1)::int AS hot_count,
                min(${t}.crashed_at) AS first_seen, max(${t}.crashed_at) AS last_seen
           FROM ${reports}
          WHERE ${where}
          GROUP BY ${t}.candidate_id`;
    } else {
      // Hot reports: whole UTC days after the window's start from candidate_day_count, the rest of its
      // first day from crash_report's (candidate_id, crashed_at) index, for candidates with reports that day.
      const hotDay = `($1::timestamptz AT TIME ZONE 'UTC')::date`;
      const firstDay = `(SELECT count(*) FROM crash_report r WHERE r.candidate_id = c.id AND r.crashed_at >= $1
                           AND r.crashed_at < (${hotDay} + 1)::timestamp AT TIME ZONE 'UTC')`;
      // Ranked by hot reports every candidate needs them: one pass over the recent day counts. Otherwise only
      // the page's rows are counted (the planner evaluates the subquery after the sort and limit).
      matched = q.sort === 'hot'
        ? `SELECT c.id, c.report_count AS matched_reports, c.host_count AS matched_hosts,
                  (COALESCE(d.later, 0) + CASE WHEN d.first_day THEN ${firstDay} ELSE 0 END)::int AS hot_count, c.first_seen, c.last_seen
             FROM bug_candidate c
             LEFT JOIN (SELECT candidate_id, sum(reports) FILTER (WHERE day > ${hotDay}) AS later, bool_or(day = ${hotDay}) AS first_day
                          FROM candidate_day_count WHERE day >= ${hotDay} GROUP BY candidate_id) d ON d.candidate_id = c.id`
        : `SELECT c.id, c.report_count AS matched_reports, c.host_count AS matched_hosts,
                  ((SELECT COALESCE(sum(d.reports), 0) FROM candidate_day_count d WHERE d.candidate_id = c.id AND d.day > ${hotDay})
                   + ${firstDay})::int AS hot_count,
                  c.first_seen, c.last_seen
             FROM bug_candidate c`;
      matched += `
          WHERE ${[...candidateWhere, 'c.report_count > 0'].join(' AND ')}`;
    }
    const windows: string[] = [];
    if (q.firstSeenFrom) windows.push(`m.first_seen >= ${p(q.firstSeenFrom)}`);
    if (q.firstSeenTo) windows.push(`m.first_seen < ${p(q.firstSeenTo)}`);
    if (q.lastSeenFrom) windows.push(`m.last_seen >= ${p(q.lastSeenFrom)}`);
    if (q.lastSeenTo) windows.push(`m.last_seen < ${p(q.lastSeenTo)}`);
    const from = `FROM (${matched}) m ${windows.length ? `WHERE ${windows.join(' AND ')}` : ''}`;
    const countParams = [...params];
    // The total rides along as a window count: the matching reports are aggregated once, not twice.
    const rows: Array<{ id: string; matched_reports: number; matched_hosts: number; hot_count: number; last_seen: Date; total: number }> =
      await this.dataSource.query(
        `SELECT m.id, m.matched_reports, m.matched_hosts, m.hot_count, m.last_seen, count(*) OVER ()::int AS total ${from}
          ORDER BY ${SORTS[q.sort]}, m.id
          LIMIT ${p(q.limit)} OFFSET ${p(q.offset)}`,
        params,
      );
    let total = rows[0]?.total ?? 0;
    // Only a page past the end carries no row to read the total from.
    if (!rows.length && q.offset > 0) {
      const counted: Array<{ total: number }> = await this.dataSource.query(`SELECT count(*)::int AS total ${from}`, countParams);
      total = counted[0]?.total ?? 0;
    }
    if (hostsForPage && rows.length) {
      const counted = await this.pageHostsAndHot(rows.map((r) => r.id), groups, hotSince);
      for (const r of rows) Object.assign(r, counted.get(r.id));
    }
    return {
      total,
      items: rows.map((r) => ({
        id: r.id,
        matchedReports: r.matched_reports,
        matchedHosts: r.matched_hosts,
        hotCount: r.hot_count,
        lastSeen: r.last_seen,
      })),
    };
  }

  /** Distinct hosts and hot reports of the given candidates' groups matching every hardware filter group. */
  private async pageHostsAndHot(ids: string[], groups: string[][], hotSince: Date): Promise<Map<string, { matched_hosts: number; hot_count: number }>> {
    const params: unknown[] = [hotSince, ids];
    const where = groups.map((group) => {
      params.push(group);
      return `h.attr_ids && ${hardwareAttributeIds(`$${params.length}`)}`;
    });
    const rows: Array<{ id: string; matched_hosts: number; hot_count: number }> = await this.dataSource.query(
      `SELECT g.id, count(g.host)::int AS matched_hosts, sum(g.hot)::int AS hot_count
         FROM (SELECT h.candidate_id AS id, NULLIF(h.host_key, '') AS host, sum(${HOT_REPORTS}) AS hot
                 FROM candidate_host_hardware h
                WHERE h.candidate_id = ANY($2::uuid[]) AND ${where.join(' AND ')}
                GROUP BY h.candidate_id, h.host_key) g
        GROUP BY g.id`,
      params,
    );
    return new Map(rows.map((r) => [r.id, { matched_hosts: r.matched_hosts, hot_count: r.hot_count }]));
  }

  /** PostgreSQL is the source of truth: nothing to copy. */
  async indexReports(): Promise<void> {}

  async removeReports(): Promise<void> {}

  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}
