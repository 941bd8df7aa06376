import { Inject, Injectable, Logger, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { HubConfig } from '../../../../libs/config/src';
import type { CrashInput } from '../../../../libs/crash-reports/src/crash-input';
import {
  applySymbols,
  bucketKeys,
  CrashFamily,
  CrashFrame,
  exactSignature,
  isShallowStack,
  kernelSignature,
  NORMALIZATION_VERSION,
  NormalizedFrame,
  normalizeFrames,
  rankCandidates,
  RetraceResult,
  symbolsOf,
  unnamedFrameKeys,
} from '../../../../libs/crash-signature/src';
import { JobQueue, JOBS, QUEUES, RegroupJobData } from '../../../../libs/queue/src';
import { BugCandidateEntity, CrashReportEntity, GroupingExplanation, GroupingInput, GroupingRuleEntity } from '../../../../libs/storage/src/entities';
import { AuditTrail } from '../access/audit-trail.service';
import type { Principal } from '../access/principal';
import { HUB_CONFIG } from '../config/hub-config.provider';
import { ReportIndexerService } from '../search/report-indexer.service';
import { CandidateRepository } from './candidate.repository';
import { DebuginfoRetraceService } from './debuginfo-retrace.service';

/** Candidates compared per report at most; pre-bucketing orders them by shared function names. */
export const MAX_COMPARED_CANDIDATES = 50;
/** Newest postings read per function name; bounds the bucket query at 16 keys x this many rows. */
export const POSTINGS_PER_KEY = 200;
const MAX_EXEMPLARS = 5;

export interface ReportContext {
  id: string;
  crashedAt: Date;
  hostKey: string | null;
  labels: Record<string, string>;
  /** How the crash links to its host's hardware profile (CrashLinkService). */
  hostId: string | null;
  hostProfileId: string | null;
  country: string | null;
  hardwareAttrs: string[];
}

/**
 * Puts each report into a bug candidate, incrementally: exact signature first, then the nearest
 * candidate within the distance threshold among those sharing function names, else a new one.
 */
@Injectable()
export class CrashGroupingService {
  private readonly logger = new Logger(CrashGroupingService.name);

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly candidates: CandidateRepository,
    private readonly indexer: ReportIndexerService,
    private readonly audit: AuditTrail,
    private readonly queue: JobQueue,
    private readonly retracer: DebuginfoRetraceService,
  ) {}

  /** What a crash is keyed by when it has no frames. */
  static fallbackKey(input: CrashInput): string {
    return input.crash.exceptionName ?? (input.crash.signal !== undefined ? `signal ${input.crash.signal}` : input.reason ?? 'unknown');
  }

  /** Stack used for signatures; a crash without frames is keyed by what else identifies it. */
  static signatureFrames(input: CrashInput, rawFrames: CrashFrame[] = input.crash.frames): NormalizedFrame[] {
    if (input.crash.family === 'kerneloops') return kernelSignature(input.crash, input.component).frames;
    return CrashGroupingService.framesOf(input.crash.family, rawFrames, CrashGroupingService.fallbackKey(input));
  }

  static framesOf(family: CrashFamily, rawFrames: CrashFrame[], fallbackKey: string): NormalizedFrame[] {
    const frames = normalizeFrames(family, rawFrames);
    return frames.length ? frames : [{ function: `<no frames: ${fallbackKey}>` }];
  }

  /**
   * Core frames are retraced with installed debuginfo (names, inlined frames); frames still unnamed get
   * names that sibling reports of the same build taught.
   * `taught`: this report brought symbols not known before, which may name frames of earlier stripped reports.
   */
  private async symbolize(m: EntityManager, input: CrashInput): Promise<{ frames: CrashFrame[]; taught: boolean; retrace?: RetraceResult }> {
    if (input.crash.family !== 'core') return { frames: input.crash.frames, taught: false };
    // Only the report's own names teach: debuginfo answers the same for every report of the build anyway.
    const taught = (await this.candidates.saveSymbols(m, symbolsOf(input.crash.frames))) > 0;
    const [retrace] = await this.retracer.retrace([input.crash.frames]);
    return { frames: await this.nameFrames(m, retrace.frames), taught, retrace };
  }

  /** The explanation's note of retracing, or undefined when no frame was resolved from debuginfo. */
  static retraceNote(retrace: RetraceResult | undefined): GroupingExplanation['retraced'] {
    return retrace?.retraced ? { frames: retrace.retraced, inlinedFrames: retrace.inlined, buildIds: retrace.buildIds } : undefined;
  }

  /** Names unnamed frames from symbols known for their build. */
  private async nameFrames(m: EntityManager, frames: CrashFrame[]): Promise<CrashFrame[]> {
    return applySymbols(frames, await this.candidates.lookupSymbols(m, unnamedFrameKeys(frames)));
  }

  /** Why a stack can only match narrowly, for the explanation. */
  static narrowMatchNote(frames: NormalizedFrame[]): string | undefined {
    if (frames.some((f) => f.unsymbolized)) {
      return 'stripped build without a symbolised sibling or installed debuginfo yet: its own frames are keyed by build id + offset, so it joins only the same build crashing at the same spots; regrouped when a symbolised sibling arrives, or by `reprocess` once its debuginfo is in DEBUGINFO_DIRS';
    }
    if (isShallowStack(frames)) {
      return 'only library or generic frames: joins a candidate by exact signature only (call sites in main are part of it), never by distance';
    }
    return undefined;
  }

  /** Groups and stores one report inside the caller's transaction. */
  async groupAndStore(m: EntityManager, input: CrashInput, report: ReportContext): Promise<{ candidateId: string; grouping: GroupingExplanation }> {
    const { family } = input.crash;
    const symbolized = await this.symbolize(m, input);
    const frames = CrashGroupingService.signatureFrames(input, symbolized.frames);
    const signature =
      family === 'kerneloops' ? kernelSignature(input.crash, input.component).signature : exactSignature(family, input.component, frames);
    const keys = bucketKeys(frames);
    await this.candidates.lockComponent(m, family, input.component);

    let candidateId: string;
    let grouping: GroupingExplanation;
    // A new candidate, a new exemplar or new symbols may be the better exemplar that earlier reports lacked.
    let regroup = symbolized.taught;
    const exact = await this.candidates.candidateForSignature(m, signature.hash);
    if (exact) {
      candidateId = await this.candidates.resolveMerged(m, exact.candidateId);
      grouping = {
        method: exact.origin === 'split' ? 'split-rule' : candidateId !== exact.candidateId ? 'merge-rule' : 'exact-signature',
        via: candidateId !== exact.candidateId ? exact.candidateId : undefined,
        normalizationVersion: NORMALIZATION_VERSION,
      };
    } else {
      const hits = await this.candidates.bucketHits(m, family, input.component, keys, MAX_COMPARED_CANDIDATES, POSTINGS_PER_KEY);
      const ranking = rankCandidates(
        frames,
        hits.map((h) => ({ id: h.id, order: h.order, exemplars: h.exemplars.map((e) => e.frames) })),
        this.config.grouping.threshold,
      );
      const nearest = ranking.match;
      if (nearest) {
        candidateId = nearest.id;
        const hit = hits.find((h) => h.id === nearest.id)!;
        grouping = {
          method: 'near-duplicate',
          distance: Number(nearest.distance.toFixed(4)),
          nearestReportId: hit.exemplars[nearest.exemplarIndex]?.reportId,
          threshold: this.config.grouping.threshold,
          normalizationVersion: NORMALIZATION_VERSION,
        };
        if (nearest.distance > 0) {
          await this.candidates.addExemplar(m, candidateId, { reportId: report.id, frames }, MAX_EXEMPLARS);
          regroup = true;
        }
        await this.candidates.addBuckets(m, candidateId, family, input.component, keys);
      } else {
        candidateId = await this.candidates.createCandidate(m, {
          family,
          component: input.component,
          exactHash: signature.hash,
          signatureText: signature.text,
          representativeFrames: frames,
          exemplars: [{ reportId: report.id, frames }],
          firstSeen: report.crashedAt,
          lastSeen: report.crashedAt,
        });
        const closest = ranking.nearest;
        grouping = {
          method: 'new-candidate',
          normalizationVersion: NORMALIZATION_VERSION,
          threshold: this.config.grouping.threshold,
          ...(closest
            ? {
                nearestCandidateId: closest.id,
                distance: Number(closest.distance.toFixed(4)),
                nearestReportId: hits.find((h) => h.id === closest.id)!.exemplars[closest.exemplarIndex]?.reportId,
                ...(closest.rejected ? { rejected: closest.rejected } : {}),
              }
            : {}),
        };
        regroup = true;
        await this.candidates.addBuckets(m, candidateId, family, input.component, keys);
      }
      // The next report with this exact stack is an exact hit.
      await this.candidates.pointSignature(m, signature.hash, candidateId, 'first-report');
    }
    const note = CrashGroupingService.narrowMatchNote(frames);
    if (note) grouping.note = note;
    const retraced = CrashGroupingService.retraceNote(symbolized.retrace);
    if (retraced) grouping.retraced = retraced;
    const groupingInput: GroupingInput = {
      frames: input.crash.frames as unknown as GroupingInput['frames'],
      fallbackKey: CrashGroupingService.fallbackKey(input),
    };

    const entity: CrashReportEntity = Object.assign(new CrashReportEntity(), {
      id: report.id,
      candidateId,
      family,
      problemType: input.problemType,
      component: input.component,
      executable: input.executable ?? null,
      reason: input.reason ?? null,
      crashedAt: report.crashedAt,
      hostKey: report.hostKey,
      hostId: report.hostId,
      hostProfileId: report.hostProfileId,
      country: report.country,
      hardwareAttrs: report.hardwareAttrs,
      packageName: input.packageName ?? null,
      packageVersion: input.packageVersion ?? null,
      osRelease: input.osRelease ?? null,
      kernel: input.kernel ?? null,
      architecture: input.architecture ?? null,
      exactHash: signature.hash,
      signatureText: signature.text,
      normalizedFrames: frames,
      duphash: input.duphash ?? null,
      bthash: input.bthash ?? null,
      labels: report.labels,
      occurrences: input.occurrences,
      grouping,
      groupingInput,
      hardware: input.hardware,
    });
    // Counted first: that creates the host's candidate_host row, to which storing adds the crash's hardware.
    await this.candidates.countReport(m, candidateId, report.crashedAt, input.occurrences, report.hostKey);
    await this.candidates.insertReport(m, entity);
    // The job takes the component lock this transaction holds, so it sees this report once committed.
    if (regroup && family !== 'kerneloops') await this.requestRegroup({ reportId: report.id, family, component: input.component });
    return { candidateId, grouping };
  }

  /** A lost trigger only delays regrouping (the next trigger or `reprocess` catches up): never fail the report for it. */
  private async requestRegroup(data: RegroupJobData): Promise<void> {
    try {
      await this.queue.enqueue(QUEUES.regrouping, JOBS.regroupComponent, data);
    } catch (error) {
      this.logger.warn({ msg: 'regroup not enqueued', ...data, error: String(error) });
    }
  }

  /** QA: fold `sourceId` into `targetId`; later reports matching the source follow the merge. */
  async merge(targetId: string, sourceId: string, note: string | undefined, actor: Principal): Promise<void> {
    if (targetId === sourceId) throw new UnprocessableEntityException('cannot merge a candidate into itself');
    await this.dataSource.transaction(async (m) => {
      // One connection in a transaction: queries run one after the other.
      const target = await this.candidates.findCandidate(m, targetId);
      const source = await this.candidates.findCandidate(m, sourceId);
      if (!target || target.mergedIntoId) throw new NotFoundException(`candidate ${targetId} not found or merged`);
      if (!source || source.mergedIntoId) throw new NotFoundException(`candidate ${sourceId} not found or merged`);
      await this.candidates.moveReports(m, sourceId, targetId);
      await this.candidates.moveLookups(m, sourceId, targetId);
      await this.candidates.moveTicketLinks(m, sourceId, targetId);
      await this.candidates.recount(m, targetId);
      await this.candidates.recount(m, sourceId);
      await m.getRepository(GroupingRuleEntity).insert({ kind: 'merge', source: sourceId, targetCandidateId: targetId, note: note ?? null });
      const after = { target: counts(await this.candidates.findCandidate(m, targetId)), source: counts(await this.candidates.findCandidate(m, sourceId)) };
      await this.audit.record(actor, 'candidate.merge', { type: 'candidate', id: targetId }, { target: counts(target), source: counts(source), note: note ?? null }, after, m);
    });
    await this.indexer.indexCandidates([targetId]);
  }

  /**
   * QA: move a report, and every report with its exact signature, into a new candidate;
   * the signature then points there, so later reports follow the split.
   */
  async split(candidateId: string, reportId: string, note: string | undefined, actor: Principal): Promise<string> {
    const newId = await this.dataSource.transaction(async (m) => {
      const before = counts(await this.candidates.findCandidate(m, candidateId));
      const report = await this.candidates.findReport(m, reportId);
      if (!report || report.candidateId !== candidateId) {
        throw new NotFoundException(`report ${reportId} is not in candidate ${candidateId}`);
      }
      const created = await this.candidates.createCandidate(m, {
        family: report.family,
        component: report.component,
        exactHash: report.exactHash,
        signatureText: report.signatureText,
        representativeFrames: report.normalizedFrames,
        exemplars: [{ reportId: report.id, frames: report.normalizedFrames }],
        firstSeen: report.crashedAt,
        lastSeen: report.crashedAt,
      });
      await this.candidates.moveReports(m, candidateId, created, report.exactHash);
      await this.candidates.pointSignature(m, report.exactHash, created, 'split');
      await this.candidates.addBuckets(m, created, report.family, report.component, bucketKeys(report.normalizedFrames));
      await this.candidates.recount(m, created);
      await this.candidates.recount(m, candidateId);
      await m.getRepository(GroupingRuleEntity).insert({ kind: 'split', source: report.exactHash, targetCandidateId: created, note: note ?? null });
      const after = { candidate: counts(await this.candidates.findCandidate(m, candidateId)), created: counts(await this.candidates.findCandidate(m, created)) };
      await this.audit.record(actor, 'candidate.split', { type: 'candidate', id: candidateId }, { candidate: before, reportId, exactHash: report.exactHash, note: note ?? null }, after, m);
      return created;
    });
    await this.indexer.indexCandidates([newId]);
    return newId;
  }
}

/** A candidate as the audit trail shows it before and after a QA rule. */
function counts(c: BugCandidateEntity | null) {
  return c && { id: c.id, reportCount: c.reportCount, occurrenceCount: c.occurrenceCount, hostCount: c.hostCount, mergedIntoId: c.mergedIntoId };
}
