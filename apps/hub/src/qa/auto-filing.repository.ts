import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RIG_LABEL_KEYS } from '../../../../libs/contracts/src/crash/crash-delivery';
import type { RigCluster } from '../../../../libs/triage/src';

const RIG_KEYS = Object.values(RIG_LABEL_KEYS);

/** Rig crash clusters and the test runs that reproduced a ticketed candidate. */
@Injectable()
export class AutoFilingRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Live candidates with rig reports first seen since `since`, with what the rules look at. */
  async rigClusters(since: Date): Promise<RigCluster[]> {
    const rows: Array<{
      id: string;
      first_seen: Date;
      host_count: number;
      signature_text: string;
      ticketed: boolean;
      rigs: string[] | null;
      runs: string[] | null;
      reasons: string[] | null;
      cpu_models: Array<{ value: string; reports: number }> | null;
    }> = await this.dataSource.query(
      `SELECT c.id, c.first_seen, c.host_count, c.signature_text,
              EXISTS (SELECT 1 FROM candidate_ticket t WHERE t.candidate_id = c.id) AS ticketed,
              (SELECT array_agg(DISTINCT r.labels->>'${RIG_LABEL_KEYS.rig}') FROM crash_report r WHERE r.candidate_id = c.id AND r.labels ? '${RIG_LABEL_KEYS.rig}') AS rigs,
              (SELECT array_agg(DISTINCT r.labels->>'${RIG_LABEL_KEYS.testRun}') FROM crash_report r WHERE r.candidate_id = c.id AND r.labels ? '${RIG_LABEL_KEYS.testRun}') AS runs,
              (SELECT array_agg(DISTINCT r.reason) FROM crash_report r WHERE r.candidate_id = c.id AND r.reason IS NOT NULL) AS reasons,
              (SELECT json_agg(json_build_object('value', m.value, 'reports', m.reports)) FROM (
                 SELECT substr(a, length('cpu.model=') + 1) AS value, count(*)::int AS reports
                   FROM crash_report r, unnest(r.hardware_attrs) a
                  WHERE r.candidate_id = c.id AND a LIKE 'cpu.model=%' GROUP BY 1) m) AS cpu_models
         FROM bug_candidate c
        WHERE c.merged_into_id IS NULL AND c.first_seen >= $1
          AND EXISTS (SELECT 1 FROM crash_report r WHERE r.candidate_id = c.id AND r.labels ?| $2::text[])
        ORDER BY c.first_seen`,
      [since, RIG_KEYS],
    );
    return rows.map((r) => ({
      candidateId: r.id,
      ticketed: r.ticketed,
      firstSeen: new Date(r.first_seen).toISOString(),
      rigs: r.rigs ?? [],
      testRuns: r.runs ?? [],
      hosts: r.host_count,
      cpuModels: r.cpu_models ?? [],
      texts: [...(r.reasons ?? []), r.signature_text],
    }));
  }

  /** Test runs whose first crash in a ticketed candidate came after the ticket was linked. */
  async newRunsOnTickets(): Promise<Array<{ candidateId: string; issueKey: string; testRun: string; build: string | null; rig: string | null }>> {
    const rows: Array<{ candidate_id: string; issue_key: string; test_run: string; build: string | null; rig: string | null }> = await this.dataSource.query(
      `SELECT t.candidate_id, t.issue_key, r.labels->>'${RIG_LABEL_KEYS.testRun}' AS test_run,
              min(r.labels->>'${RIG_LABEL_KEYS.build}') AS build, min(r.labels->>'${RIG_LABEL_KEYS.rig}') AS rig
         FROM candidate_ticket t JOIN crash_report r ON r.candidate_id = t.candidate_id
        WHERE r.labels ? '${RIG_LABEL_KEYS.testRun}'
        GROUP BY t.candidate_id, t.issue_key, t.created_at, 3
       HAVING min(r.crashed_at) > t.created_at`,
    );
    return rows.map((r) => ({ candidateId: r.candidate_id, issueKey: r.issue_key, testRun: r.test_run, build: r.build, rig: r.rig }));
  }
}
