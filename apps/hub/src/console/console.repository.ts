import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RIG_LABEL_KEYS } from '../../../../libs/contracts/src/crash/crash-delivery';
import type { NormalizedFrameRecord } from '../../../../libs/storage/src/entities/normalized-frame-record';
import { CrashReportEntity, type RawReportKind } from '../../../../libs/storage/src/entities';

/** The console's reads that the JSON API does not already make. */
@Injectable()
export class ConsoleRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Reports per candidate per UTC day since `since` (for sparklines). */
  dailyCounts(candidateIds: string[], since: Date): Promise<Array<{ candidate_id: string; day: string; reports: number }>> {
    if (!candidateIds.length) return Promise.resolve([]);
    return this.dataSource.query(
      `SELECT candidate_id, to_char(date_trunc('day', crashed_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, count(*)::int AS reports
         FROM crash_report WHERE candidate_id = ANY($1::uuid[]) AND crashed_at >= $2
        GROUP BY 1, 2`,
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

  /** Reports per UTC day and package version of one candidate since `since`. */
  dailyByVersion(candidateId: string, since: Date): Promise<Array<{ day: string; version: string | null; reports: number }>> {
    return this.dataSource.query(
      `SELECT to_char(date_trunc('day', crashed_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, package_version AS version, count(*)::int AS reports
         FROM crash_report WHERE candidate_id = $1 AND crashed_at >= $2 GROUP BY 1, 2`,
      [candidateId, since],
    );
  }

  /** Reports of one candidate per product version of the crashing host, read from the narrow copy. */
  reportsByProductVersion(candidateId: string): Promise<Array<{ version: string; reports: number }>> {
    return this.dataSource.query(
      `SELECT substr(a.key, length('product.version=') + 1) AS version, count(*)::int AS reports
         FROM crash_hardware h CROSS JOIN unnest(h.attr_ids) i JOIN hardware_attribute a ON a.id = i
        WHERE h.candidate_id = $1 AND a.key LIKE 'product.version=%'
        GROUP BY 1 ORDER BY reports DESC LIMIT 30`,
      [candidateId],
    );
  }

  /** Reports of one candidate from rigs (any rig label) and from the field. */
  async originCounts(candidateId: string): Promise<{ rig: number; field: number }> {
    const rows: Array<{ rig: number; field: number }> = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE labels ?| $2::text[])::int AS rig, count(*) FILTER (WHERE NOT labels ?| $2::text[])::int AS field
         FROM crash_report WHERE candidate_id = $1`,
      [candidateId, Object.values(RIG_LABEL_KEYS)],
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

  /** Rig crashes by rig, build and test run; a candidate is new in a run when its first report anywhere came from it. */
  rigRuns(limit: number): Promise<Array<{ rig: string | null; build: string | null; testRun: string | null; reports: number; candidates: number; newCandidates: number; lastCrash: Date }>> {
    const k = RIG_LABEL_KEYS;
    return this.dataSource.query(
      `WITH per AS (
         SELECT labels ->> '${k.rig}' AS rig, labels ->> '${k.build}' AS build, labels ->> '${k.testRun}' AS run,
                candidate_id, count(*)::int AS reports, min(crashed_at) AS first_in_run, max(crashed_at) AS last_crash
           FROM crash_report WHERE labels ?| $1::text[]
          GROUP BY 1, 2, 3, 4)
       SELECT per.rig, per.build, per.run AS "testRun", sum(per.reports)::int AS reports, count(*)::int AS candidates,
              count(*) FILTER (WHERE per.first_in_run <= c.first_seen)::int AS "newCandidates", max(per.last_crash) AS "lastCrash"
         FROM per JOIN bug_candidate c ON c.id = per.candidate_id
        GROUP BY 1, 2, 3 ORDER BY "lastCrash" DESC LIMIT $2`,
      [[k.rig, k.build, k.testRun], limit],
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
