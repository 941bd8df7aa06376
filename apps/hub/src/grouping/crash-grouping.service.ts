import { Inject, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { HubConfig } from '../../../../libs/config/src';
import type { CrashInput } from '../../../../libs/crash-reports/src/crash-input';
import {
  applySymbols,
  bucketKeys,
  CrashFrame,
  chooseCandidate,
  exactSignature,
  kernelSignature,
  NORMALIZATION_VERSION,
  NormalizedFrame,
  normalizeFrames,
  symbolsOf,
  unnamedFrameKeys,
} from '../../../../libs/crash-signature/src';
import { CrashReportEntity, GroupingExplanation, GroupingRuleEntity } from '../../../../libs/storage/src/entities';
import { HUB_CONFIG } from '../config/hub-config.provider';
import { ReportIndexerService } from '../search/report-indexer.service';
import { CandidateRepository } from './candidate.repository';

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
  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly candidates: CandidateRepository,
    private readonly indexer: ReportIndexerService,
  ) {}

  /** Stack used for signatures; a crash without frames is keyed by what else identifies it. */
  static signatureFrames(input: CrashInput, rawFrames: CrashFrame[] = input.crash.frames): NormalizedFrame[] {
    if (input.crash.family === 'kerneloops') return kernelSignature(input.crash, input.component).frames;
    const frames = normalizeFrames(input.crash.family, rawFrames);
    if (frames.length) return frames;
    const key = input.crash.exceptionName ?? (input.crash.signal !== undefined ? `signal ${input.crash.signal}` : input.reason);
    return [{ function: `<no frames: ${key ?? 'unknown'}>` }];
  }

  /** Core frames of stripped builds get names that sibling reports of the same build taught. */
  private async symbolize(m: EntityManager, input: CrashInput): Promise<CrashFrame[]> {
    if (input.crash.family !== 'core') return input.crash.frames;
    await this.candidates.saveSymbols(m, symbolsOf(input.crash.frames));
    const known = await this.candidates.lookupSymbols(m, unnamedFrameKeys(input.crash.frames));
    return applySymbols(input.crash.frames, known);
  }

  /** Groups and stores one report inside the caller's transaction. */
  async groupAndStore(m: EntityManager, input: CrashInput, report: ReportContext): Promise<{ candidateId: string; grouping: GroupingExplanation }> {
    const { family } = input.crash;
    const frames = CrashGroupingService.signatureFrames(input, await this.symbolize(m, input));
    const signature =
      family === 'kerneloops' ? kernelSignature(input.crash, input.component).signature : exactSignature(family, input.component, frames);
    const keys = bucketKeys(frames);
    await this.candidates.lockComponent(m, family, input.component);

    let candidateId: string;
    let grouping: GroupingExplanation;
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
      const nearest = chooseCandidate(
        frames,
        hits.map((h) => ({ id: h.id, exemplars: h.exemplars.map((e) => e.frames) })),
        this.config.grouping.threshold,
      );
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
        grouping = { method: 'new-candidate', normalizationVersion: NORMALIZATION_VERSION };
        await this.candidates.addBuckets(m, candidateId, family, input.component, keys);
      }
      // The next report with this exact stack is an exact hit.
      await this.candidates.pointSignature(m, signature.hash, candidateId, 'first-report');
    }

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
      hardware: input.hardware,
    });
    // Counted first: that creates the host's candidate_host row, to which storing adds the crash's hardware.
    await this.candidates.countReport(m, candidateId, report.crashedAt, input.occurrences, report.hostKey);
    await this.candidates.insertReport(m, entity);
    return { candidateId, grouping };
  }

  /** QA: fold `sourceId` into `targetId`; later reports matching the source follow the merge. */
  async merge(targetId: string, sourceId: string, note?: string): Promise<void> {
    if (targetId === sourceId) throw new UnprocessableEntityException('cannot merge a candidate into itself');
    await this.dataSource.transaction(async (m) => {
      // One connection in a transaction: queries run one after the other.
      const target = await this.candidates.findCandidate(m, targetId);
      const source = await this.candidates.findCandidate(m, sourceId);
      if (!target || target.mergedIntoId) throw new NotFoundException(`candidate ${targetId} not found or merged`);
      if (!source || source.mergedIntoId) throw new NotFoundException(`candidate ${sourceId} not found or merged`);
      await this.candidates.moveReports(m, sourceId, targetId);
      await this.candidates.moveLookups(m, sourceId, targetId);
      await this.candidates.recount(m, targetId);
      await this.candidates.recount(m, sourceId);
      await m.getRepository(GroupingRuleEntity).insert({ kind: 'merge', source: sourceId, targetCandidateId: targetId, note: note ?? null });
    });
    await this.indexer.indexCandidates([targetId]);
  }

  /**
   * QA: move a report, and every report with its exact signature, into a new candidate;
   * the signature then points there, so later reports follow the split.
   */
  async split(candidateId: string, reportId: string, note?: string): Promise<string> {
    const newId = await this.dataSource.transaction(async (m) => {
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
      return created;
    });
    await this.indexer.indexCandidates([newId]);
    return newId;
  }
}
