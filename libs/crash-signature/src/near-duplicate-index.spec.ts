import { NormalizedFrame } from './frame-normalization';
import { bucketKeys, chooseCandidate, compareMatches, MAX_EXEMPLARS, NearDuplicateIndex, rankCandidates } from './near-duplicate-index';

const stack = (...names: string[]): NormalizedFrame[] => names.map((name) => ({ function: name }));

describe('bucketKeys', () => {
  it('lists distinct known, non-generic function names of the first 16 frames', () => {
    expect(bucketKeys(stack('strlen', '??', 'parse', 'parse', 'main'))).toEqual(['strlen', 'parse']);
    const deep = stack(...Array.from({ length: 20 }, (_, i) => `f${i}`));
    expect(bucketKeys(deep)).toHaveLength(16);
    expect(bucketKeys(stack('<module>', '??'))).toEqual([]);
  });
});

describe('chooseCandidate', () => {
  const frames = stack('a', 'b', 'c', 'd', 'e');

  it('returns the nearest candidate by its closest exemplar', () => {
    const result = chooseCandidate(frames, [
      { id: 'far', exemplars: [stack('a', 'b', 'x', 'y', 'e')] },
      { id: 'near', exemplars: [stack('z', 'z', 'z'), stack('a', 'b', 'c', 'd')] },
    ]);
    // the fifth frame missing costs half a substitution at its weight 0.7, of a total weight 4.7
    expect(result).toMatchObject({ id: 'near', exemplarIndex: 1, sharedFunctions: 4 });
    expect(result?.distance).toBeCloseTo(0.35 / 4.7);
  });

  it('keeps the first on ties and returns null above the threshold', () => {
    const result = chooseCandidate(frames, [
      { id: 'first', exemplars: [stack('a', 'b', 'c', 'd')] },
      { id: 'second', exemplars: [stack('a', 'b', 'c', 'd')] },
    ]);
    expect(result?.id).toBe('first');
    expect(chooseCandidate(frames, [{ id: 'x', exemplars: [stack('a', 'q', 'r', 's', 't')] }])).toBeNull();
    expect(chooseCandidate(frames, [{ id: 'x', exemplars: [stack('a', 'b', 'c', 'd', 'e', 'q')] }])?.id).toBe('x');
    // A replaced frame near the crash site keeps the stacks apart whatever the relative threshold.
    expect(chooseCandidate(frames, [{ id: 'x', exemplars: [stack('a', 'b', 'q', 'd', 'e')] }], 0.5)).toBeNull();
    expect(chooseCandidate(frames, [])).toBeNull();
  });
});

describe('NearDuplicateIndex', () => {
  const report = (...names: string[]) => ({ family: 'core' as const, component: 'vzctl', frames: stack(...names) });

  it('classifies new, exact and near-duplicate reports', () => {
    const index = new NearDuplicateIndex();
    const first = index.add(report('strlen', 'parse_entry', 'read_line', 'load_config', 'main'));
    expect(first).toEqual({ candidateId: 'candidate-1', method: 'new', distance: 0, matchedExemplar: null });
    expect(index.add(report('strlen', 'parse_entry', 'read_line', 'load_config', 'main'))).toEqual({
      candidateId: 'candidate-1',
      method: 'exact',
      distance: 0,
      matchedExemplar: 0,
    });
    const inlined = index.add(report('strlen', 'parse_entry', 'load_config', 'main'));
    expect(inlined).toEqual({
      candidateId: 'candidate-1',
      method: 'near-duplicate',
      distance: 0.125,
      matchedExemplar: 0,
    });
    expect(index.exemplars('candidate-1')).toHaveLength(2);
    expect(index.add(report('strlen', 'parse_entry', 'load_config', 'main')).method).toBe('exact');
    const other = index.add(report('strlen', 'format_name', 'print_report', 'main'));
    expect(other.method).toBe('new');
    expect(index.size).toBe(2);
  });

  it('never compares across families or against stacks sharing no bucket key', () => {
    const index = new NearDuplicateIndex();
    index.add(report('a', 'b', 'c'));
    expect(index.add({ family: 'xorg', component: 'vzctl', frames: stack('a', 'b', 'c') }).method).toBe('new');
    expect(index.add(report('main')).method).toBe('new');
  });

  it('keeps at most MAX_EXEMPLARS distinct exemplars per candidate', () => {
    const index = new NearDuplicateIndex();
    const base = ['f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8', 'f9', 'f10'];
    index.add(report(...base));
    for (let i = 0; i < 8; i++) {
      const variant = [...base];
      variant[9] = `tail${i}`;
      expect(index.add(report(...variant)).candidateId).toBe('candidate-1');
    }
    expect(index.exemplars('candidate-1')).toHaveLength(MAX_EXEMPLARS);
  });

  it('lets an exemplar extend the cluster towards stacks the first one is too far from', () => {
    const index = new NearDuplicateIndex();
    index.add(report('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'));
    index.add(report('a', 'b', 'c', 'd', 'e', 'f', 'g', 'x', 'y', 'z'));
    const decision = index.add(report('a', 'b', 'c', 'd', 'e', 'f', 'p', 'x', 'y', 'z'));
    expect(decision).toMatchObject({ candidateId: 'candidate-1', method: 'near-duplicate', matchedExemplar: 1 });
    expect(decision.distance).toBeGreaterThan(0);
    expect(decision.distance).toBeLessThanOrEqual(0.3);
  });
});

describe('rankCandidates', () => {
  const frames = stack('a', 'b', 'c', 'd');

  it('breaks ties by shared functions, then creation order, then id, whatever order the candidates come in', () => {
    const tied = [
      { id: 'c-9', order: 2, exemplars: [stack('a', 'b', 'c')] },
      { id: 'c-1', order: 3, exemplars: [stack('a', 'b', 'c')] },
      { id: 'c-5', order: 1, exemplars: [stack('a', 'b', 'c')] },
    ];
    expect(rankCandidates(frames, tied).match?.id).toBe('c-5');
    expect(rankCandidates(frames, [...tied].reverse()).match?.id).toBe('c-5');
    const unordered = tied.map(({ id, exemplars }) => ({ id, exemplars }));
    expect(rankCandidates(frames, unordered).match?.id).toBe('c-1');
    expect(rankCandidates(frames, [...unordered].reverse()).match?.id).toBe('c-1');
  });

  it('names the nearest candidate and why it was not joined', () => {
    const { match, nearest } = rankCandidates(frames, [
      { id: 'far', exemplars: [stack('x', 'y', 'z')] },
      { id: 'close', exemplars: [stack('a', 'q', 'c', 'd')] },
    ]);
    expect(match).toBeNull();
    expect(nearest).toMatchObject({ id: 'close', rejected: 'different-frames-near-crash-site', sharedFunctions: 3 });
    expect(nearest!.distance).toBeCloseTo(0.25);
  });

  it('lets a shallow stack (only library frames) join by exact match only', () => {
    const lib = (name: string) => ({ function: name, library: true as const });
    const { match, nearest } = rankCandidates([lib('strcmp')], [{ id: 'c', exemplars: [[lib('strcmp'), { function: 'parse' }]] }]);
    expect(match).toBeNull();
    expect(nearest?.rejected).toBe('shallow-stack');
  });

  it('orders matches by distance before anything else', () => {
    const base = { exemplarIndex: 0, cost: 0, sharedFunctions: 0 };
    expect(compareMatches({ ...base, id: 'b', distance: 0.1 }, { ...base, id: 'a', distance: 0.2, sharedFunctions: 9 })).toBeLessThan(0);
  });
});
