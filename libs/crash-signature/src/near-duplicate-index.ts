import { exactSignature } from './crash-signature';
import { CrashFamily } from './crash-thread';
import data from './data/normalization-v1.json';
import { mayJoinByDistance, StackDistance, stackDistance, withinCut } from './frame-distance';
import { isShallowStack, NormalizedFrame, UNKNOWN_FUNCTION } from './frame-normalization';
import { indexedPrefix } from '../../contracts/src/bounds/input-bounds';

/** abrt's BACKTRACE_DUP_THRESHOLD and FAF's dendrogram cut level; the data file keeps the rule. */
export const NEAR_DUPLICATE_THRESHOLD: number = data.distance.threshold;
export const MAX_EXEMPLARS = 5;
const BUCKET_FRAMES = 16;

const genericFunctions = new Set(data.genericFunctions);

export interface ClusterCandidate {
  id: string;
  exemplars: NormalizedFrame[][];
  /** Creation order (earlier = smaller); breaks ties between equally near candidates. */
  order?: number;
}

export interface CandidateMatch {
  id: string;
  distance: number;
  /** Absolute weighted cost (see stackDistance). */
  cost: number;
  exemplarIndex: number;
  /** Distinct function names the report shares with the matched exemplar. */
  sharedFunctions: number;
}

export type RejectionReason = 'shallow-stack' | 'no-shared-program-frame' | 'above-threshold' | 'different-frames-near-crash-site' | 'above-max-cost';

export interface CandidateRanking {
  /** The candidate the report joins, or null. */
  match: CandidateMatch | null;
  /** The nearest candidate whatever the cut (for a new candidate's explanation), and why it was not joined. */
  nearest: (CandidateMatch & { rejected?: RejectionReason }) | null;
}

function sharedFunctionCount(a: NormalizedFrame[], b: NormalizedFrame[]): number {
  const names = new Set(b.map((f) => f.function));
  return new Set(a.map((f) => f.function).filter((n) => n !== UNKNOWN_FUNCTION && names.has(n))).size;
}

/** Stable order: distance, then cost, then more shared functions, then the older candidate, then id. */
export function compareMatches(a: CandidateMatch & { order?: number }, b: CandidateMatch & { order?: number }): number {
  return (
    a.distance - b.distance ||
    a.cost - b.cost ||
    b.sharedFunctions - a.sharedFunctions ||
    (a.order ?? 0) - (b.order ?? 0) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) ||
    a.exemplarIndex - b.exemplarIndex
  );
}

function rejection(frames: NormalizedFrame[], exemplar: NormalizedFrame[], d: StackDistance, threshold: number): RejectionReason | undefined {
  if (isShallowStack(frames) || isShallowStack(exemplar)) return 'shallow-stack';
  if (!mayJoinByDistance(frames, exemplar)) return 'no-shared-program-frame';
  if (d.distance > threshold) return 'above-threshold';
  if (d.nearConflict) return 'different-frames-near-crash-site';
  if (!withinCut(d, threshold)) return 'above-max-cost';
  return undefined;
}

function withoutOrder<T extends { order?: number }>(m: T | null): Omit<T, 'order'> | null {
  if (!m) return null;
  const { order: _order, ...rest } = m;
  return rest;
}

/** Ranks every exemplar of every candidate; the best one within the decision rule is the match. */
export function rankCandidates(
  frames: NormalizedFrame[],
  candidates: ClusterCandidate[],
  threshold = NEAR_DUPLICATE_THRESHOLD,
): CandidateRanking {
  let match: (CandidateMatch & { order?: number }) | null = null;
  let nearest: (CandidateMatch & { order?: number; rejected?: RejectionReason }) | null = null;
  for (const candidate of candidates) {
    for (const [exemplarIndex, exemplar] of candidate.exemplars.entries()) {
      const d = stackDistance(frames, exemplar);
      const entry = {
        id: candidate.id,
        distance: d.distance,
        cost: d.cost,
        exemplarIndex,
        sharedFunctions: sharedFunctionCount(frames, exemplar),
        order: candidate.order,
      };
      const rejected = rejection(frames, exemplar, d, threshold);
      if (!rejected && (match === null || compareMatches(entry, match) < 0)) match = entry;
      if (nearest === null || compareMatches(entry, nearest) < 0) nearest = { ...entry, ...(rejected ? { rejected } : {}) };
    }
  }
  return { match: withoutOrder(match), nearest: withoutOrder(nearest) };
}

/** Nearest candidate within the decision rule, ties broken by compareMatches; null when none qualifies. */
export function chooseCandidate(
  frames: NormalizedFrame[],
  candidates: ClusterCandidate[],
  threshold = NEAR_DUPLICATE_THRESHOLD,
): CandidateMatch | null {
  return rankCandidates(frames, candidates, threshold).match;
}

/**
 * Function names a stack can share with a near duplicate (FAF pre-clusters the same way). Two stacks with
 * no key in common differ in every frame, so only candidates sharing a key need a distance computation.
 */
export function bucketKeys(frames: NormalizedFrame[]): string[] {
  const keys = frames
    .slice(0, BUCKET_FRAMES)
    .map((f) => f.function)
    .filter((name) => name !== UNKNOWN_FUNCTION && !genericFunctions.has(name))
    // A btree row holds ~2.7 kB: a key is a bounded prefix of the name, however long the name.
    .map((name) => indexedPrefix(name));
  return [...new Set(keys)];
}

export interface IndexedReport {
  family: CrashFamily;
  component: string;
  frames: NormalizedFrame[];
}

export interface NearDuplicateDecision {
  candidateId: string;
  method: 'exact' | 'near-duplicate' | 'new';
  distance: number;
  /** Index of the exemplar that matched; null for a new candidate. */
  matchedExemplar: number | null;
}

interface IndexedCandidate extends ClusterCandidate {
  family: CrashFamily;
  order: number;
}

/** In-memory incremental clustering with the same decision rules the database-backed grouping uses. */
export class NearDuplicateIndex {
  private readonly candidates = new Map<string, IndexedCandidate>();
  private readonly byBucket = new Map<string, Set<string>>();
  private readonly bySignature = new Map<string, { candidateId: string; exemplarIndex: number }>();
  private nextId = 1;

  constructor(private readonly threshold = NEAR_DUPLICATE_THRESHOLD) {}

  get size(): number {
    return this.candidates.size;
  }

  exemplars(candidateId: string): NormalizedFrame[][] {
    return this.candidates.get(candidateId)?.exemplars ?? [];
  }

  add(report: IndexedReport): NearDuplicateDecision {
    const signature = exactSignature(report.family, report.component, report.frames).hash;
    const exact = this.bySignature.get(signature);
    if (exact) {
      return { candidateId: exact.candidateId, method: 'exact', distance: 0, matchedExemplar: exact.exemplarIndex };
    }
    const keys = bucketKeys(report.frames);
    const match = chooseCandidate(report.frames, this.candidatesSharing(report.family, keys), this.threshold);
    if (match) {
      const candidate = this.candidates.get(match.id) as IndexedCandidate;
      let exemplarIndex = match.exemplarIndex;
      if (match.distance > 0 && candidate.exemplars.length < MAX_EXEMPLARS) {
        exemplarIndex = candidate.exemplars.push(report.frames) - 1;
        this.index(candidate, keys);
      }
      this.bySignature.set(signature, { candidateId: candidate.id, exemplarIndex });
      return {
        candidateId: candidate.id,
        method: 'near-duplicate',
        distance: match.distance,
        matchedExemplar: match.exemplarIndex,
      };
    }
    const candidate: IndexedCandidate = {
      id: `candidate-${this.nextId}`,
      family: report.family,
      exemplars: [report.frames],
      order: this.nextId++,
    };
    this.candidates.set(candidate.id, candidate);
    this.index(candidate, keys);
    this.bySignature.set(signature, { candidateId: candidate.id, exemplarIndex: 0 });
    return { candidateId: candidate.id, method: 'new', distance: 0, matchedExemplar: null };
  }

  private candidatesSharing(family: CrashFamily, keys: string[]): IndexedCandidate[] {
    const ids = new Set<string>();
    for (const key of keys) {
      for (const id of this.byBucket.get(`${family}\u0000${key}`) ?? []) ids.add(id);
    }
    return [...ids]
      .map((id) => this.candidates.get(id) as IndexedCandidate)
      .sort((a, b) => a.order - b.order);
  }

  private index(candidate: IndexedCandidate, keys: string[]): void {
    for (const key of keys) {
      const bucket = `${candidate.family}\u0000${key}`;
      const ids = this.byBucket.get(bucket) ?? new Set<string>();
      ids.add(candidate.id);
      this.byBucket.set(bucket, ids);
    }
  }
}
