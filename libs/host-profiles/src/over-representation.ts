/**
 * Socorro-style correlations against a fleet baseline: attribute values far more common among a
 * crash cluster's hosts than among live fleet hosts point at what triggers the bug.
 */

export interface AttributeCount {
  attribute: string;
  value: string;
  hosts: number;
}

export interface OverRepresentationRow {
  attribute: string;
  value: string;
  clusterHosts: number;
  clusterShare: number;
  /** null when no live fleet host has the attribute at all (e.g. crash-only attributes) */
  fleetHosts: number | null;
  fleetShare: number | null;
  /** clusterShare - fleetShare */
  difference: number | null;
  /** clusterShare / fleetShare; null when the value is absent from the fleet */
  lift: number | null;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Over-represented values first; values without a fleet baseline last. Shares are not rounded. */
export function rankOverRepresentation(input: {
  /** distinct cluster hosts per attribute=value */
  cluster: AttributeCount[];
  /** cluster hosts with any value for that attribute (share denominator) */
  clusterHostsKnown: Record<string, number>;
  /** live fleet hosts per attribute=value (from the rollup) */
  fleet: AttributeCount[];
  /** live fleet hosts (denominator) */
  fleetLive: number;
  /** default 1 */
  minClusterHosts?: number;
}): OverRepresentationRow[] {
  const { cluster, clusterHostsKnown, fleet, fleetLive, minClusterHosts = 1 } = input;
  // Zero-host rollup rows are left behind by hosts that went away; they are no evidence that the
  // fleet reports the attribute. Without live hosts there is no baseline at all.
  const fleetHosts = new Map<string, Map<string, number>>();
  for (const row of fleetLive > 0 ? fleet : []) {
    if (row.hosts <= 0) continue;
    const values = fleetHosts.get(row.attribute) ?? new Map<string, number>();
    values.set(row.value, row.hosts);
    fleetHosts.set(row.attribute, values);
  }

  const rows = cluster
    .filter((row) => row.hosts >= minClusterHosts)
    .map(({ attribute, value, hosts }): OverRepresentationRow => {
      const known = clusterHostsKnown[attribute];
      // Every host counted under a value has the attribute, so a smaller denominator means the
      // two inputs were not taken from the same hosts.
      if (!(known >= hosts && known > 0)) {
        throw new RangeError(`clusterHostsKnown[${JSON.stringify(attribute)}] = ${known} for ${hosts} hosts with ${attribute}=${value}`);
      }
      const clusterShare = hosts / known;
      const values = fleetHosts.get(attribute);
      if (values === undefined) {
        return { attribute, value, clusterHosts: hosts, clusterShare, fleetHosts: null, fleetShare: null, difference: null, lift: null };
      }
      const fleetCount = values.get(value) ?? 0;
      const fleetShare = fleetCount / fleetLive;
      return {
        attribute,
        value,
        clusterHosts: hosts,
        clusterShare,
        fleetHosts: fleetCount,
        fleetShare,
        difference: clusterShare - fleetShare,
        lift: fleetShare > 0 ? clusterShare / fleetShare : null,
      };
    });

  return rows.sort((a, b) => {
    if ((a.difference === null) !== (b.difference === null)) return a.difference === null ? 1 : -1;
    const primary = a.difference !== null && b.difference !== null ? b.difference - a.difference : b.clusterShare - a.clusterShare;
    return primary || b.clusterHosts - a.clusterHosts || compare(a.attribute, b.attribute) || compare(a.value, b.value);
  });
}
