import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { HubConfig } from '../../../../libs/config/src';
import {
  applySymbols,
  bucketKeys,
  CoreSymbol,
  CrashFamily,
  CrashFrame,
  exactSignature,
  NORMALIZATION_VERSION,
  NormalizedFrame,
  planRegrouping,
  PlannedReport,
  RegroupReport,
  RetraceResult,
  unnamedFrameKeys,
} from '../../../../libs/crash-signature/src';
import type { GroupingExplanation } from '../../../../libs/storage/src/entities';
import { HUB_CONFIG } from '../config/hub-config.provider';
import { ReportIndexerService } from '../search/report-indexer.service';
import { CandidateRepository } from './candidate.repository';
import { CrashGroupingService } from './crash-grouping.service';
import { DebuginfoRetraceService } from './debuginfo-retrace.service';
import { RegroupingRepository, ReportRewrite, ScopeReport } from './regrouping.repository';

export interface RegroupSummary {
  reports: number;
  /** Reports that changed candidate. */
  moved: number;
  /** Reports whose stored signature or frames changed (normalization data or symbols learnt). */
  rewritten: number;
  createdCandidates: number;
  retiredCandidates: number;
}

const EMPTY: RegroupSummary = { reports: 0, moved: 0, rewritten: 0, createdCandidates: 0, retiredCandidates: 0 };

export function addSummaries(a: RegroupSummary, b: RegroupSummary): RegroupSummary {
  return {
    reports: a.reports + b.reports,
    moved: a.moved + b.moved,
    rewritten: a.rewritten + b.rewritten,
    createdCandidates: a.createdCandidates + b.createdCandidates,
    retiredCandidates: a.retiredCandidates + b.retiredCandidates,
  };
}

/** jsonb hands keys back in its own order: compare with keys sorted. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}
const sameJson = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/**
 * Regroups a whole family+component from the reports' kept grouping inputs, so the result does not
 * depend on arrival order: run by the regrouping job when a better exemplar arrives, and by `reprocess`
 * for everything after normalization data changes. QA's merges and splits are kept as locks; a run that
 * finds nothing to change writes nothing.
 */
@Injectable()
export class RegroupingService {
  private readonly logger = new Logger(RegroupingService.name);

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly candidates: CandidateRepository,
    private readonly regrouping: RegroupingRepository,
    private readonly indexer: ReportIndexerService,
    private readonly retracer: DebuginfoRetraceService,
  ) {}

  async regroupScope(family: string, component: string, reason: 'better-exemplar' | 'reprocess', job?: string): Promise<RegroupSummary> {
    // Kernel keys are the report kind and its crash site: exact, so arrival order cannot change them.
    if (family === 'kerneloops') return EMPTY;
    const touched = new Set<string>();
    const moved: string[] = [];
    const summary = await this.dataSource.transaction(async (m) => {
      await this.candidates.lockComponent(m, family, component);
      return this.regroupLocked(m, family as CrashFamily, component, reason, job, touched, moved);
    });
    if (touched.size) await this.indexer.indexCandidates([...touched]);
    if (summary.moved || summary.rewritten) this.logger.log({ msg: 'regrouped', family, component, reason, job, ...summary });
    return summary;
  }

  /** The same steps as incremental grouping: debuginfo first, then names taught by sibling builds, then normalization. */
  private frames(family: CrashFamily, report: ScopeReport, symbols: CoreSymbol[], retrace: RetraceResult | undefined): NormalizedFrame[] {
    if (!report.groupingInput) return report.normalizedFrames as NormalizedFrame[];
    const raw = retrace?.frames ?? (report.groupingInput.frames as unknown as CrashFrame[]);
    return CrashGroupingService.framesOf(family, family === 'core' ? applySymbols(raw, symbols) : raw, report.groupingInput.fallbackKey);
  }

  private async regroupLocked(
    m: EntityManager,
    family: CrashFamily,
    component: string,
    reason: 'better-exemplar' | 'reprocess',
    job: string | undefined,
    touched: Set<string>,
    movedOut: string[],
  ): Promise<RegroupSummary> {
    const stored = await this.regrouping.scopeReports(m, family, component);
    if (!stored.length) return EMPTY;
    const scopeCandidates = await this.regrouping.scopeCandidates(m, family, component);
    const order = new Map(scopeCandidates.map((c, i) => [c.id, i]));
    const byCandidate = new Map(scopeCandidates.map((c) => [c.id, c]));

    // One retrace (an addr2line run per build id) and one symbol lookup for the whole scope.
    const withInput = stored.filter((r) => r.groupingInput);
    const retraces = new Map<string, RetraceResult>();
    if (family === 'core') {
      const results = await this.retracer.retrace(withInput.map((r) => r.groupingInput!.frames as unknown as CrashFrame[]));
      withInput.forEach((r, i) => retraces.set(r.id, results[i]));
    }
    const unnamed = withInput.flatMap((r) => unnamedFrameKeys(retraces.get(r.id)?.frames ?? (r.groupingInput!.frames as unknown as CrashFrame[])));
    const symbols = family === 'core' ? await this.candidates.lookupSymbols(m, unnamed) : [];
    const fresh = new Map<string, { frames: NormalizedFrame[]; hash: string; text: string; retraced: GroupingExplanation['retraced'] }>();
    for (const report of stored) {
      const frames = this.frames(family, report, symbols, retraces.get(report.id));
      const signature = exactSignature(family, component, frames);
      fresh.set(report.id, { frames, hash: signature.hash, text: signature.text, retraced: CrashGroupingService.retraceNote(retraces.get(report.id)) });
    }
    const inputs: RegroupReport[] = stored.map((r) => ({
      id: r.id,
      exactHash: fresh.get(r.id)!.hash,
      frames: fresh.get(r.id)!.frames,
      candidateId: r.candidateId,
    }));
    const locks = await this.regrouping.lockedUnits(m, family, component);
    const plan = planRegrouping(inputs, locks, order, this.config.grouping.threshold);

    // Clusters without a candidate get one, named after their best exemplar.
    let created = 0;
    const clusterIds: string[] = [];
    for (const cluster of plan.clusters) {
      if (cluster.candidateId) {
        clusterIds.push(cluster.candidateId);
        continue;
      }
      const head = fresh.get(cluster.exemplars[0].reportId)!;
      const id = await this.candidates.createCandidate(m, {
        family,
        component,
        exactHash: head.hash,
        signatureText: head.text,
        representativeFrames: head.frames,
        exemplars: cluster.exemplars,
        firstSeen: new Date(),
        lastSeen: new Date(),
      });
      created++;
      clusterIds.push(id);
      touched.add(id);
    }

    const at = new Date().toISOString();
    const rewrites: ReportRewrite[] = [];
    // Clusters whose members changed: only their buckets and signature pointers need writing.
    const changedClusters = new Set<number>(plan.clusters.flatMap((c, i) => (c.candidateId ? [] : [i])));
    let moved = 0;
    const planned = new Map(plan.reports.map((p) => [p.reportId, p]));
    for (const report of stored) {
      const target = clusterIds[planned.get(report.id)!.cluster];
      const next = fresh.get(report.id)!;
      const changedCandidate = target !== report.candidateId;
      const changedSignature = next.hash !== report.exactHash || !sameJson(next.frames, report.normalizedFrames);
      // Debuginfo installed or removed since: the explanation says so even when the frames came out the same.
      const changedRetrace = report.groupingInput !== null && !sameJson(next.retraced, report.grouping.retraced);
      if (!changedCandidate && !changedSignature && !changedRetrace) continue;
      changedClusters.add(planned.get(report.id)!.cluster);
      if (changedCandidate) {
        moved++;
        movedOut.push(report.candidateId);
        touched.add(report.candidateId);
        touched.add(target);
      }
      const grouping: GroupingExplanation = changedCandidate
        ? this.explain(planned.get(report.id)!, clusterIds, plan.clusters.map((c) => c.exemplars), report)
        : { ...report.grouping, normalizationVersion: NORMALIZATION_VERSION };
      const note = CrashGroupingService.narrowMatchNote(next.frames);
      if (note) grouping.note = note;
      else delete grouping.note;
      if (report.groupingInput) {
        if (next.retraced) grouping.retraced = next.retraced;
        else delete grouping.retraced;
      }
      grouping.regrouped = { at, from: report.candidateId, reason, ...(job ? { job } : {}) };
      rewrites.push({ id: report.id, candidateId: target, exactHash: next.hash, signatureText: next.text, normalizedFrames: next.frames, grouping });
      if (next.hash !== report.exactHash) {
        const split = locks.find((l) => l.splitHash === report.exactHash);
        if (split) await this.regrouping.renameSplitSource(m, report.exactHash, next.hash);
      }
    }
    await this.regrouping.rewriteReports(m, rewrites);

    // Candidates: exemplars, buckets and signature pointers follow the plan.
    const pointers = await this.regrouping.signaturePointers(m, [...new Set(inputs.map((r) => r.exactHash))]);
    for (const [index, cluster] of plan.clusters.entries()) {
      const id = clusterIds[index];
      const current = byCandidate.get(id);
      const head = fresh.get(cluster.exemplars[0].reportId)!;
      const exemplars = cluster.exemplars.map((e) => ({ reportId: e.reportId, frames: e.frames }));
      if (current && !sameJson(current.exemplars, exemplars)) {
        await this.regrouping.updateCandidate(m, id, { exemplars, representativeFrames: head.frames, signatureText: head.text, exactHash: head.hash });
        touched.add(id);
        changedClusters.add(index);
      }
      if (!changedClusters.has(index)) continue;
      const keys = [...new Set(cluster.exemplars.flatMap((e) => bucketKeys(e.frames)))];
      await this.candidates.addBuckets(m, id, family, component, keys);
      const hashes = new Set(cluster.reportIds.map((r) => fresh.get(r)!.hash));
      for (const hash of hashes) {
        const pointer = pointers.get(hash);
        if (pointer && (await this.candidates.resolveMerged(m, pointer.candidateId)) === id) continue;
        const split = locks.some((l) => l.candidateId === id && l.splitHash !== null && cluster.locked);
        await this.candidates.pointSignature(m, hash, id, split ? 'split' : 'first-report');
      }
    }

    // A candidate left without reports points where most of them went.
    let retired = 0;
    const live = new Set(clusterIds);
    for (const from of new Set(movedOut)) {
      if (live.has(from) || byCandidate.get(from)?.mergedIntoId) continue;
      const destinations = rewrites.filter((r) => stored.find((s) => s.id === r.id)!.candidateId === from).map((r) => r.candidateId);
      const into = mostCommon(destinations);
      if (into) {
        await this.regrouping.retire(m, from, into);
        retired++;
      }
    }
    for (const id of touched) await this.candidates.recount(m, id);
    return { reports: stored.length, moved, rewritten: rewrites.length, createdCandidates: created, retiredCandidates: retired };
  }

  /** The explanation of a moved report, in the same terms as incremental grouping. */
  private explain(
    planned: PlannedReport,
    clusterIds: string[],
    exemplars: Array<Array<{ reportId: string }>>,
    report: ScopeReport,
  ): GroupingExplanation {
    const base = { normalizationVersion: NORMALIZATION_VERSION, threshold: this.config.grouping.threshold };
    if (planned.method === 'rule') return { ...report.grouping, ...base };
    if (planned.method === 'exact-signature') return { method: 'exact-signature', ...base };
    const match = planned.ranking?.match;
    if (planned.method === 'near-duplicate' && match) {
      return {
        method: 'near-duplicate',
        ...base,
        distance: Number(match.distance.toFixed(4)),
        nearestReportId: exemplars[Number(match.id)][match.exemplarIndex]?.reportId,
      };
    }
    const nearest = planned.ranking?.nearest;
    return {
      method: 'new-candidate',
      ...base,
      ...(nearest
        ? {
            nearestCandidateId: clusterIds[Number(nearest.id)],
            distance: Number(nearest.distance.toFixed(4)),
            nearestReportId: exemplars[Number(nearest.id)][nearest.exemplarIndex]?.reportId,
            ...(nearest.rejected ? { rejected: nearest.rejected } : {}),
          }
        : {}),
    };
  }

  /** Every family+component, after normalization data changed: run twice, the second run changes nothing. */
  async regroupAll(): Promise<RegroupSummary> {
    let total = EMPTY;
    for (const scope of await this.regrouping.scopes(this.dataSource.manager)) {
      total = addSummaries(total, await this.regroupScope(scope.family, scope.component, 'reprocess'));
    }
    return total;
  }
}

function mostCommon(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}
