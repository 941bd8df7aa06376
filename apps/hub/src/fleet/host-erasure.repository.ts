import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { pruneHardwareAttributes } from '../../../../libs/storage/src/crash-hardware-sql';

/** Deletes every row about one host; counts per table form the erasure receipt. */
@Injectable()
export class HostErasureRepository {
  async crashReports(m: EntityManager, hostId: string): Promise<Array<{ id: string; candidateId: string }>> {
    return m.query('SELECT id, candidate_id AS "candidateId" FROM crash_report WHERE host_id = $1', [hostId]);
  }

  /**
   * Locks the candidates the host's crashes are in, in id order, before anything else of theirs: grouping
   * locks a candidate before it writes its counts (kept per candidate), so erasing waits instead of deadlocking.
   */
  async lockCandidates(m: EntityManager, candidateIds: string[]): Promise<void> {
    if (!candidateIds.length) return;
    await m.query('SELECT id FROM bug_candidate WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [candidateIds]);
  }

  /** hardware_attribute ids the host's crashes use: candidates for pruning once they are gone. */
  async crashAttributeIds(m: EntityManager, reportIds: string[]): Promise<number[]> {
    const rows: Array<{ id: number }> = await m.query('SELECT DISTINCT unnest(attr_ids) AS id FROM crash_hardware WHERE report_id = ANY($1::uuid[])', [reportIds]);
    return rows.map((r) => r.id);
  }

  /** In a transaction of its own, after the erasure committed (see pruneHardwareAttributes). */
  async pruneAttributes(m: EntityManager, ids: number[]): Promise<Record<string, number>> {
    return { hardware_attribute: await pruneHardwareAttributes(m, ids) };
  }

  private async count(m: EntityManager, sql: string, params: unknown[]): Promise<number> {
    const [, affected]: [unknown, number] = await m.query(sql, params);
    return affected;
  }

  async deleteCrashes(m: EntityManager, hostId: string, reportIds: string[]): Promise<Record<string, number>> {
    // Exemplars name the report they came from; the stack stays useful only with its report.
    await m.query(
      `UPDATE bug_candidate SET exemplars = (
          SELECT COALESCE(jsonb_agg(e), '[]'::jsonb) FROM jsonb_array_elements(exemplars) e WHERE NOT (e ->> 'reportId' = ANY($1::text[])))
        WHERE exemplars @> ANY (SELECT jsonb_build_array(jsonb_build_object('reportId', x)) FROM unnest($1::text[]) x)`,
      [reportIds],
    );
    return {
      crash_report: await this.count(m, 'DELETE FROM crash_report WHERE host_id = $1', [hostId]),
      candidate_host: await this.count(m, 'DELETE FROM candidate_host WHERE host_key = $1', [`host:${hostId}`]),
    };
  }

  async deleteHostRows(m: EntityManager, hostId: string): Promise<Record<string, number>> {
    return {
      raw_report: await this.count(m, 'DELETE FROM raw_report WHERE host_id = $1', [hostId]),
      cep_report: await this.count(m, 'DELETE FROM cep_report WHERE host_id = $1', [hostId]),
      host_collector_record: await this.count(m, 'DELETE FROM host_collector_record WHERE host_id = $1', [hostId]),
      host_activity_day: await this.count(m, 'DELETE FROM host_activity_day WHERE host_id = $1', [hostId]),
      host_profile: await this.count(m, 'DELETE FROM host_profile WHERE host_id = $1', [hostId]),
      host: await this.count(m, 'DELETE FROM host WHERE id = $1', [hostId]),
    };
  }
}
