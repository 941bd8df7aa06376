import { isProgramFrame, NormalizedFrame } from './frame-normalization';
import { bucketKeys, CandidateRanking, ClusterCandidate, MAX_EXEMPLARS, NEAR_DUPLICATE_THRESHOLD, rankCandidates } from './near-duplicate-index';

export interface RegroupReport {
  id: string;
  exactHash: string;
  frames: NormalizedFrame[];
  /** Candidate the report sits in now. */
  candidateId: string;
}

/** Reports QA tied to a candidate (a merge target's reports, a split's signature): they stay there together. */
export interface LockedUnit {
  candidateId: string;
  reportIds: string[];
}

export interface PlannedCluster {
  /** Existing candidate kept for this cluster, or null when a new one must be created. */
  candidateId: string | null;
  exemplars: Array<{ reportId: string; frames: NormalizedFrame[] }>;
  reportIds: string[];
  locked: boolean;
}

export interface PlannedReport {
  reportId: string;
  cluster: number;
  method: 'exact-signature' | 'near-duplicate' | 'new-candidate' | 'rule';
  /** How the signature's first report was placed; ids in it are cluster indexes. */
  ranking?: CandidateRanking;
}

export interface RegroupPlan {
  clusters: PlannedCluster[];
  reports: PlannedReport[];
}

/** Joining by distance needs a shared program frame, so only clusters sharing one are compared. */
const programKeys = (frames: NormalizedFrame[]) => bucketKeys(frames.filter(isProgramFrame));

/** Evidence first: more named program frames, then longer stacks, then the hash, so the best exemplar seeds a cluster. */
function byQuality(a: RegroupReport, b: RegroupReport): number {
  const named = (r: RegroupReport) => r.frames.filter((f) => isProgramFrame(f) && !f.unsymbolized).length;
  return named(b) - named(a) || b.frames.length - a.frames.length || (a.exactHash < b.exactHash ? -1 : a.exactHash > b.exactHash ? 1 : 0);
}

/**
 * Groups a whole family+component from scratch, independent of the order its reports arrived in:
 * QA's locked units first, then one unit per exact signature in order of evidence, each joining the
 * nearest cluster within the decision rule or opening one. Clusters keep the existing candidate that
 * holds most of their reports (older candidate on a tie), so running the plan again changes nothing.
 */
export function planRegrouping(
  reports: RegroupReport[],
  locked: LockedUnit[],
  candidateOrder: Map<string, number>,
  threshold = NEAR_DUPLICATE_THRESHOLD,
): RegroupPlan {
  const byId = new Map(reports.map((r) => [r.id, r]));
  const clusters: PlannedCluster[] = [];
  const planned = new Map<string, PlannedReport>();
  const lockedIds = new Set<string>();

  // Clusters by the function names of their exemplars: only those sharing one with a stack can be near it.
  const byKey = new Map<string, Set<number>>();
  const addExemplar = (cluster: PlannedCluster, report: RegroupReport) => {
    const known = cluster.exemplars.some((e) => JSON.stringify(e.frames) === JSON.stringify(report.frames));
    if (known || cluster.exemplars.length >= MAX_EXEMPLARS) return;
    cluster.exemplars.push({ reportId: report.id, frames: report.frames });
    for (const key of programKeys(report.frames)) byKey.set(key, (byKey.get(key) ?? new Set()).add(clusters.indexOf(cluster)));
  };

  const units = [...locked].sort((a, b) => (candidateOrder.get(a.candidateId) ?? 0) - (candidateOrder.get(b.candidateId) ?? 0));
  for (const unit of units) {
    const members = unit.reportIds.map((id) => byId.get(id)).filter((r): r is RegroupReport => !!r && !lockedIds.has(r.id));
    if (!members.length) continue;
    let cluster = clusters.find((c) => c.locked && c.candidateId === unit.candidateId);
    if (!cluster) {
      cluster = { candidateId: unit.candidateId, exemplars: [], reportIds: [], locked: true };
      clusters.push(cluster);
    }
    const target = cluster;
    for (const report of [...members].sort(byQuality)) {
      lockedIds.add(report.id);
      target.reportIds.push(report.id);
      addExemplar(target, report);
      planned.set(report.id, { reportId: report.id, cluster: clusters.indexOf(target), method: 'rule' });
    }
  }

  const bySignature = new Map<string, RegroupReport[]>();
  for (const report of reports) {
    if (lockedIds.has(report.id)) continue;
    bySignature.set(report.exactHash, [...(bySignature.get(report.exactHash) ?? []), report]);
  }
  const signatureUnits = [...bySignature.values()].map((members) => [...members].sort((a, b) => (a.id < b.id ? -1 : 1)));
  signatureUnits.sort((a, b) => byQuality(a[0], b[0]));

  for (const members of signatureUnits) {
    const head = members[0];
    const near = new Set(programKeys(head.frames).flatMap((key) => [...(byKey.get(key) ?? [])]));
    const candidates: ClusterCandidate[] = [...near]
      .sort((a, b) => a - b)
      .map((i) => ({ id: String(i), order: i, exemplars: clusters[i].exemplars.map((e) => e.frames) }));
    const ranking = rankCandidates(head.frames, candidates, threshold);
    let index: number;
    if (ranking.match) {
      index = Number(ranking.match.id);
      if (ranking.match.distance > 0) addExemplar(clusters[index], head);
    } else {
      index = clusters.push({ candidateId: null, exemplars: [], reportIds: [], locked: false }) - 1;
      addExemplar(clusters[index], head);
    }
    members.forEach((report, i) => {
      clusters[index].reportIds.push(report.id);
      const method = i > 0 ? 'exact-signature' : ranking.match ? 'near-duplicate' : 'new-candidate';
      planned.set(report.id, {
        reportId: report.id,
        cluster: index,
        method,
        ...(i === 0 ? { ranking } : {}),
      });
    });
  }

  assignCandidates(clusters, byId, candidateOrder);
  return { clusters, reports: reports.map((r) => planned.get(r.id)!) };
}

/** Each unlocked cluster keeps the existing candidate holding most of its reports, unless another cluster kept it. */
function assignCandidates(clusters: PlannedCluster[], byId: Map<string, RegroupReport>, candidateOrder: Map<string, number>): void {
  const taken = new Set(clusters.filter((c) => c.locked).map((c) => c.candidateId!));
  const wishes = clusters
    .map((cluster, index) => {
      const counts = new Map<string, number>();
      for (const id of cluster.reportIds) {
        const current = byId.get(id)!.candidateId;
        counts.set(current, (counts.get(current) ?? 0) + 1);
      }
      return { cluster, index, counts };
    })
    .filter((w) => !w.cluster.locked);
  // Biggest claims first, so a candidate goes to the cluster that holds most of its reports.
  const claims = wishes.flatMap((w) => [...w.counts].map(([candidateId, n]) => ({ w, candidateId, n })));
  claims.sort(
    (a, b) =>
      b.n - a.n ||
      (candidateOrder.get(a.candidateId) ?? 0) - (candidateOrder.get(b.candidateId) ?? 0) ||
      a.w.index - b.w.index,
  );
  for (const { w, candidateId } of claims) {
    if (w.cluster.candidateId !== null || taken.has(candidateId)) continue;
    w.cluster.candidateId = candidateId;
    taken.add(candidateId);
  }
}
