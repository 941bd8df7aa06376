import { exactSignature } from './crash-signature';
import { CrashFamily } from './crash-thread';
import data from './data/normalization-v1.json';
import { frameDistance } from './frame-distance';
import { NormalizedFrame, UNKNOWN_FUNCTION } from './frame-normalization';
import { indexedPrefix } from '../../contracts/src/bounds/input-bounds';

/** abrt's BACKTRACE_DUP_THRESHOLD and FAF's dendrogram cut level. */
export const NEAR_DUPLICATE_THRESHOLD = 0.3;
export const MAX_EXEMPLARS = 5;
const BUCKET_FRAMES = 16;

const genericFunctions = new Set(data.genericFunctions);

export interface ClusterCandidate {
  id: string;
  exemplars: NormalizedFrame[][];
}

export interface CandidateMatch {
  id: string;
  distance: number;
  exemplarIndex: number;
}

/** Nearest candidate by its closest exemplar, within `threshold`; ties keep the earlier candidate/exemplar. */
export function chooseCandidate(
  frames: NormalizedFrame[],
  candidates: ClusterCandidate[],
  threshold = NEAR_DUPLICATE_THRESHOLD,
): CandidateMatch | null {
  let best: CandidateMatch | null = null;
  for (const candidate of candidates) {
    candidate.exemplars.forEach((exemplar, exemplarIndex) => {
      const distance = frameDistance(frames, exemplar);
      if (distance <= threshold && (best === null || distance < best.distance)) {
        best = { id: candidate.id, distance, exemplarIndex };
      }
    });
  }
  return best;
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
