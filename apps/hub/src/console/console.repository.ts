import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { NormalizedFrameRecord } from '../../../../libs/storage/src/entities/normalized-frame-record';
import { CrashReportEntity, type RawReportKind } from '../../../../libs/storage/src/entities';

/** The console's reads that the JSON API does not already make. */
@Injectable()
export class ConsoleRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Reports per candidate per UTC day since `since` (for sparklines), from the pre-aggregated counts. */
  dailyCounts(candidateIds: string[], since: Date): Promise<Array<{ candidate_id: string; day: string; reports: number }>> {
    if (!candidateIds.length) return Promise.resolve([]);
    return this.dataSource.query(
      `SELECT candidate_id, to_char(day, 'YYYY-MM-DD') AS day, sum(reports)::int AS reports
         FROM candidate_day_count WHERE candidate_id = ANY($1::uuid[]) AND day >= ($2::timestamptz AT TIME ZONE 'UTC')::date
        GROUP BY 1, day`,
      [candidateIds, since],
    );
  }

  /** Listed candidates (as the unfiltered queue lists them) per visible triage state; untriaged ones are new. */
  async stateCounts(): Promise<Record<string, number>> {
    const rows: Array<{ state: string; n: number }> = await this.dataSource.query(
      `SELECT COALESCE(t.state, 'new') AS state, count(*)::int AS n
         FROM bug_candidate c LEFT JOIN candidate_triage t ON t.candidate_id = c.id
        WHERE c.merged_into_id IS NULL AND c.report_count > 0
        GROUP BY 1`,
    );
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }

  /** Reports per UTC day and package version of one candidate since `since` (an unknown version is null). */
  dailyByVersion(candidateId: string, since: Date): Promise<Array<{ day: string; version: string | null; reports: number }>> {
    return this.dataSource.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, NULLIF(package_version, '') AS version, sum(reports)::int AS reports
         FROM candidate_day_count WHERE candidate_id = $1 AND day >= ($2::timestamptz AT TIME ZONE 'UTC')::date
        GROUP BY day, package_version`,
      [candidateId, since],
    );
  }

  /** Reports of one candidate per product version of the crashing host. */
  reportsByProductVersion(candidateId: string): Promise<Array<{ version: string; reports: number }>> {
    return this.dataSource.query(
      `SELECT product_version AS version, sum(reports)::int AS reports
         FROM candidate_day_count WHERE candidate_id = $1 AND product_version <> ''
        GROUP BY 1 ORDER BY reports DESC, 1 LIMIT 30`,
      [candidateId],
    );
  }

  /** Reports of one candidate from rigs (any rig label) and from the field. */
  async originCounts(candidateId: string): Promise<{ rig: number; field: number }> {
    const rows: Array<{ rig: number; field: number }> = await this.dataSource.query(
      `SELECT COALESCE(sum(reports) FILTER (WHERE origin = 'rig'), 0)::int AS rig, COALESCE(sum(reports) FILTER (WHERE origin = 'field'), 0)::int AS field
         FROM candidate_day_count WHERE candidate_id = $1`,
      [candidateId],
    );
    return rows[0] ?? { rig: 0, field: 0 };
  }

  reportPage(candidateId: string, limit: number, offset: number): Promise<CrashReportEntity[]> {
    return this.dataSource.query(
      `SELECT id, crashed_at AS "crashedAt", package_version AS "packageVersion", kernel, hardware_attrs AS "hardwareAttrs",
              labels, occurrences, grouping
         FROM crash_report WHERE candidate_id = $1 ORDER BY crashed_at DESC, id LIMIT $2 OFFSET $3`,
      [candidateId, limit, offset],
    );
  }

  /** The newest report of a candidate (its crash thread is shown). */
  async latestReport(candidateId: string): Promise<{ id: string; family: string; normalizedFrames: NormalizedFrameRecord[] } | null> {
    const rows = await this.dataSource.query(
      `SELECT id, family, normalized_frames AS "normalizedFrames" FROM crash_report
        WHERE candidate_id = $1 ORDER BY crashed_at DESC, id LIMIT 1`,
      [candidateId],
    );
    return rows[0] ?? null;
  }

  /** Open candidates of one family, most recently seen first: the pool similar candidates are measured in. */
  openCandidatesOfFamily(family: string, exceptId: string, limit: number): Promise<Array<{ id: string; signatureText: string; component: string; reportCount: number; frames: NormalizedFrameRecord[] }>> {
    return this.dataSource.query(
      `SELECT id, signature_text AS "signatureText", component, report_count AS "reportCount", representative_frames AS frames
         FROM bug_candidate WHERE family = $1 AND id <> $2 AND merged_into_id IS NULL AND report_count > 0
        ORDER BY last_seen DESC LIMIT $3`,
      [family, exceptId, limit],
    );
  }

  async rawReport(id: string): Promise<{
    id: string; kind: RawReportKind; source: string; hostId: string | null; occurrences: number; status: string; rejectReason: string | null; encoding: string; payload: Buffer;
    payloadBytes: number; labels: Record<string, string>; country: string | null; receivedAt: Date; processedAt: Date | null; attempts: number;
  } | null> {
    const rows = await this.dataSource.query(
      `SELECT id, kind, source, status, reject_reason AS "rejectReason", encoding, payload, payload_bytes AS "payloadBytes", labels, country,
              host_id AS "hostId", occurrences, received_at AS "receivedAt", processed_at AS "processedAt", processing_attempts AS attempts
         FROM raw_report WHERE id = $1 AND kind <> 'cep'`,
      [id],
    );
    return rows[0] ?? null;
  }

  async crashReport(id: string): Promise<CrashReportEntity | null> {
    return this.dataSource.getRepository(CrashReportEntity).findOne({ where: { id } });
  }

  async hostProfile(id: string): Promise<{ id: string; validFrom: Date; validTo: Date | null; attributes: Record<string, number> } | null> {
    const rows = await this.dataSource.query(
      `SELECT id, valid_from AS "validFrom", valid_to AS "validTo", attributes FROM host_profile WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * Rig crashes by rig, build and test run, from rig_run_count (a row per run and candidate); a
   * candidate is new in a run when its first report anywhere came from it. A missing label is null.
   */
  rigRuns(limit: number): Promise<Array<{ rig: string | null; build: string | null; testRun: string | null; reports: number; candidates: number; newCandidates: number; lastCrash: Date }>> {
    return this.dataSource.query(
      `SELECT NULLIF(r.rig, '') AS rig, NULLIF(r.build, '') AS build, NULLIF(r.test_run, '') AS "testRun", sum(r.reports)::int AS reports,
              count(*)::int AS candidates, count(*) FILTER (WHERE r.first_crash <= c.first_seen)::int AS "newCandidates", max(r.last_crash) AS "lastCrash"
         FROM rig_run_count r JOIN bug_candidate c ON c.id = r.candidate_id
        GROUP BY r.rig, r.build, r.test_run ORDER BY "lastCrash" DESC LIMIT $1`,
      [limit],
    );
  }

  /** Distinct values seen in crash reports, offered as suggestions in the filter forms. */
  async knownValues(): Promise<Record<string, string[]>> {
    const rows: Array<{ name: string; values: string[] }> = await this.dataSource.query(
      `SELECT 'type' AS name, array_agg(DISTINCT family) AS values FROM bug_candidate
       UNION ALL SELECT 'component', (SELECT array_agg(component) FROM (SELECT DISTINCT component FROM bug_candidate ORDER BY 1 LIMIT 200) x)`,
    );
    return Object.fromEntries(rows.map((r) => [r.name, (r.values ?? []).filter(Boolean)]));
  }
}
