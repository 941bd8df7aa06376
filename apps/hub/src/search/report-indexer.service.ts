import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import type { HubConfig } from '../../../../libs/config/src';
import { CandidateSearch, CrashReportSearchDoc } from '../../../../libs/search/src';
import { CrashReportEntity } from '../../../../libs/storage/src/entities';
import { HUB_CONFIG } from '../config/hub-config.provider';

const BATCH = 500;

/** Keeps an external search index in step with PostgreSQL; nothing to do when PostgreSQL is the index. */
@Injectable()
export class ReportIndexerService {
  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly search: CandidateSearch,
  ) {}

  private get external(): boolean {
    return this.config.search.backend !== 'postgres';
  }

  async indexReports(ids: string[]): Promise<void> {
    if (!this.external || !ids.length) return;
    for (let i = 0; i < ids.length; i += BATCH) {
      const rows = await this.dataSource.getRepository(CrashReportEntity).find({ where: { id: In(ids.slice(i, i + BATCH)) } });
      const states = await this.triageStates([...new Set(rows.map((r) => r.candidateId))]);
      await this.search.indexReports(rows.map((r) => toSearchDoc(r, states.get(r.candidateId) ?? 'new')));
    }
  }

  async removeReports(ids: string[]): Promise<void> {
    if (!this.external || !ids.length) return;
    for (let i = 0; i < ids.length; i += BATCH) await this.search.removeReports(ids.slice(i, i + BATCH));
  }

  /** After a merge or split: the moved reports now belong to another candidate. */
  async indexCandidates(candidateIds: string[]): Promise<void> {
    if (!this.external) return;
    const rows: Array<{ id: string }> = await this.dataSource.query(
      'SELECT id FROM crash_report WHERE candidate_id = ANY($1::uuid[])',
      [candidateIds],
    );
    await this.indexReports(rows.map((r) => r.id));
  }

  private async triageStates(candidateIds: string[]): Promise<Map<string, string>> {
    const rows: Array<{ candidate_id: string; state: string }> = await this.dataSource.query(
      'SELECT candidate_id, state FROM candidate_triage WHERE candidate_id = ANY($1::uuid[])',
      [candidateIds],
    );
    return new Map(rows.map((r) => [r.candidate_id, r.state]));
  }
}

export function toSearchDoc(r: CrashReportEntity, triageState: string): CrashReportSearchDoc {
  return {
    reportId: r.id,
    candidateId: r.candidateId,
    family: r.family,
    component: r.component,
    signatureText: r.signatureText,
    functions: r.normalizedFrames.map((f) => f.function),
    packageVersion: r.packageVersion,
    osRelease: r.osRelease,
    kernel: r.kernel,
    labels: r.labels,
    hostKey: r.hostKey,
    hardwareAttrs: r.hardwareAttrs,
    crashedAt: r.crashedAt.toISOString(),
    triageState,
  };
}
