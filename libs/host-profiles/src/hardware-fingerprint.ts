import { canonicalJson, sha256Hex, type HostProfile } from './host-profile';

const sortedEntries = (histogram: Record<string, number>) => Object.entries(histogram).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * What identifies the machine rather than its use: CPU, memory bucket, DMI system and disks. Null when the
 * profile holds none of them, so hosts without hardware data never look alike.
 */
export function hardwareFingerprint(profile: HostProfile): string | null {
  const { cpu, memory, system, disks } = profile;
  if (!cpu && !memory && !system && !disks) return null;
  return sha256Hex(
    canonicalJson({
      cpu: cpu ? { model: cpu.model, logicalCpus: cpu.logicalCpus, sockets: cpu.sockets } : null,
      memory: memory?.sizeBucket ?? null,
      system: system ? { vendor: system.vendor, product: system.product } : null,
      disks: disks ? { models: sortedEntries(disks.models), sizeBuckets: sortedEntries(disks.sizeBuckets) } : null,
    }),
  );
}

export interface CloneSignals {
  reasons: string[];
}

/**
 * Signs that one host id stands for several machines (a cloned agent installation). `history` holds the
 * hardware fingerprints of the host's profile versions, oldest first, the last being the current one.
 */
export function cloneSignals(input: {
  history: Array<string | null>;
  next: string | null;
  sequence?: number;
  sequencesSeen?: number[];
  /** The report's erasure-key hash and the one the host keeps (set by its first report). */
  keyHash?: string | null;
  hostKeyHash?: string | null;
}): CloneSignals {
  const reasons: string[] = [];
  // Versions without hardware data say nothing about which machine sent them.
  const known = input.history.filter((f): f is string => f !== null);
  const current = known[known.length - 1];
  // A→B is an upgrade; going back to an earlier machine (A→B→A) means two machines take turns reporting.
  if (input.next !== null && current !== undefined && input.next !== current && known.slice(0, -1).includes(input.next)) {
    reasons.push('hardware alternates between fingerprints');
  }
  if (input.sequence !== undefined && input.sequencesSeen?.includes(input.sequence)) {
    reasons.push(`report sequence ${input.sequence} seen twice`);
  }
  // Another installation (or someone trying to take the host over) sends its own key; the host keeps its first.
  if (input.keyHash && input.hostKeyHash && input.keyHash !== input.hostKeyHash) {
    reasons.push('erasure key differs from the host\'s');
  }
  return { reasons };
}
