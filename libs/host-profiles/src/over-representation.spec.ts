import { AttributeCount, rankOverRepresentation } from './over-representation';

const count = (attribute: string, value: string, hosts: number): AttributeCount => ({ attribute, value, hosts });

describe('rankOverRepresentation', () => {
  it('ranks a planted correlation above an attribute common to cluster and fleet', () => {
    const rows = rankOverRepresentation({
      cluster: [count('os', 'el9', 40), count('cpu.model', 'EPYC 7B13', 40)],
      clusterHostsKnown: { os: 40, 'cpu.model': 40 },
      fleet: [
        count('os', 'el9', 950),
        count('os', 'el8', 50),
        count('cpu.model', 'EPYC 7B13', 20),
        count('cpu.model', 'Xeon Gold 6338', 980),
      ],
      fleetLive: 1000,
    });
    expect(rows).toEqual([
      {
        attribute: 'cpu.model',
        value: 'EPYC 7B13',
        clusterHosts: 40,
        clusterShare: 1,
        fleetHosts: 20,
        fleetShare: 0.02,
        difference: 0.98,
        lift: 50,
      },
      { attribute: 'os', value: 'el9', clusterHosts: 40, clusterShare: 1, fleetHosts: 950, fleetShare: 0.95, difference: 1 - 0.95, lift: 1 / 0.95 },
    ]);
  });

  it('only reports values present in the cluster', () => {
    const rows = rankOverRepresentation({
      cluster: [count('os', 'el9', 3)],
      clusterHostsKnown: { os: 3 },
      fleet: [count('os', 'el9', 10), count('os', 'el8', 90), count('vm', 'kvm', 50)],
      fleetLive: 100,
    });
    expect(rows.map((r) => `${r.attribute}=${r.value}`)).toEqual(['os=el9']);
  });

  it('divides by the cluster hosts that know the attribute, not by the whole cluster', () => {
    const [row] = rankOverRepresentation({
      cluster: [count('gpu', 'nvidia', 3)],
      clusterHostsKnown: { gpu: 4 },
      fleet: [count('gpu', 'nvidia', 25)],
      fleetLive: 100,
    });
    expect(row.clusterShare).toBe(0.75);
    expect(row.fleetShare).toBe(0.25);
    expect(row.difference).toBe(0.5);
    expect(row.lift).toBe(3);
  });

  it('puts attributes the fleet never reports last, by cluster share', () => {
    const rows = rankOverRepresentation({
      cluster: [count('crash.signal', 'SIGSEGV', 5), count('crash.signal', 'SIGABRT', 15), count('os', 'el9', 1)],
      clusterHostsKnown: { 'crash.signal': 20, os: 20 },
      fleet: [count('os', 'el9', 900)],
      fleetLive: 1000,
    });
    // os=el9 is under-represented (0.05 vs 0.9) yet still ranks above rows without a baseline.
    expect(rows.map((r) => `${r.attribute}=${r.value}`)).toEqual(['os=el9', 'crash.signal=SIGABRT', 'crash.signal=SIGSEGV']);
    expect(rows[0].difference).toBeCloseTo(-0.85, 12);
    expect(rows[1]).toEqual({
      attribute: 'crash.signal',
      value: 'SIGABRT',
      clusterHosts: 15,
      clusterShare: 0.75,
      fleetHosts: null,
      fleetShare: null,
      difference: null,
      lift: null,
    });
  });

  it('gives a value the fleet lacks zero fleet hosts and no lift when the attribute is known', () => {
    const [row] = rankOverRepresentation({
      cluster: [count('kernel', '6.9.0-rc1', 2)],
      clusterHostsKnown: { kernel: 2 },
      fleet: [count('kernel', '5.14.0', 100)],
      fleetLive: 100,
    });
    expect(row).toMatchObject({ fleetHosts: 0, fleetShare: 0, difference: 1, lift: null });
  });

  it('treats zero-host fleet rows as no baseline', () => {
    const [row] = rankOverRepresentation({
      cluster: [count('gpu', 'nvidia', 2)],
      clusterHostsKnown: { gpu: 2 },
      fleet: [count('gpu', 'nvidia', 0)],
      fleetLive: 100,
    });
    expect(row).toMatchObject({ fleetHosts: null, fleetShare: null, difference: null, lift: null });
  });

  it('has no baseline when the fleet has no live hosts', () => {
    const [row] = rankOverRepresentation({
      cluster: [count('os', 'el9', 2)],
      clusterHostsKnown: { os: 2 },
      fleet: [count('os', 'el9', 5)],
      fleetLive: 0,
    });
    expect(row).toMatchObject({ clusterShare: 1, fleetHosts: null, fleetShare: null, difference: null, lift: null });
  });

  it('breaks ties by cluster hosts, then attribute and value', () => {
    const rows = rankOverRepresentation({
      cluster: [count('b', 'x', 2), count('a', 'y', 2), count('a', 'x', 2), count('c', 'x', 8), count('z', 'q', 1), count('y', 'q', 1)],
      clusterHostsKnown: { a: 4, b: 4, c: 16, y: 2, z: 2 },
      fleet: [count('a', 'x', 10), count('a', 'y', 10), count('b', 'x', 10), count('c', 'x', 10)],
      fleetLive: 100,
    });
    // All four baseline rows differ by 0.5 - 0.1; c=x has more cluster hosts. y and z tie at share 0.5.
    expect(rows.map((r) => `${r.attribute}=${r.value}`)).toEqual(['c=x', 'a=x', 'a=y', 'b=x', 'y=q', 'z=q']);
  });

  it('drops values below minClusterHosts', () => {
    const input = {
      cluster: [count('os', 'el9', 5), count('os', 'el8', 1)],
      clusterHostsKnown: { os: 6 },
      fleet: [count('os', 'el9', 50), count('os', 'el8', 50)],
      fleetLive: 100,
    };
    expect(rankOverRepresentation(input).map((r) => r.value)).toEqual(['el9', 'el8']);
    expect(rankOverRepresentation({ ...input, minClusterHosts: 2 }).map((r) => r.value)).toEqual(['el9']);
    expect(rankOverRepresentation({ ...input, cluster: [...input.cluster, count('os', 'x', 0)] })).toHaveLength(2);
  });

  it('does not round shares', () => {
    const [row] = rankOverRepresentation({
      cluster: [count('os', 'el9', 1)],
      clusterHostsKnown: { os: 3 },
      fleet: [count('os', 'el9', 1)],
      fleetLive: 7,
    });
    expect(row.clusterShare).toBe(1 / 3);
    expect(row.fleetShare).toBe(1 / 7);
    expect(row.difference).toBe(1 / 3 - 1 / 7);
    expect(row.lift).toBe(1 / 3 / (1 / 7));
  });

  it('returns nothing for an empty cluster', () => {
    expect(rankOverRepresentation({ cluster: [], clusterHostsKnown: {}, fleet: [count('os', 'el9', 1)], fleetLive: 1 })).toEqual([]);
  });

  it('rejects a share denominator missing or smaller than the value count', () => {
    const fleet = [count('os', 'el9', 1)];
    expect(() => rankOverRepresentation({ cluster: [count('os', 'el9', 2)], clusterHostsKnown: {}, fleet, fleetLive: 1 })).toThrow(RangeError);
    expect(() =>
      rankOverRepresentation({ cluster: [count('os', 'el9', 3)], clusterHostsKnown: { os: 2 }, fleet, fleetLive: 1 }),
    ).toThrow(/clusterHostsKnown\["os"\] = 2 for 3 hosts with os=el9/);
  });
});
