import { frameDistance, mayJoinByDistance, positionWeight, stackDistance, withinCut } from './frame-distance';
import { NormalizedFrame } from './frame-normalization';

const stack = (...names: string[]): NormalizedFrame[] => names.map((name) => ({ function: name }));

describe('frameDistance', () => {
  it('is 0 for identical stacks and 1 for disjoint ones', () => {
    expect(frameDistance(stack('a', 'b', 'c'), stack('a', 'b', 'c'))).toBe(0);
    expect(frameDistance(stack('a', 'b'), stack('x', 'y'))).toBe(1);
  });

  it('puts an -O0 stack and its -O2 build (one frame inlined away) within 0.3', () => {
    const o0 = stack('strlen', 'parse_entry', 'read_line', 'load_config', 'start_service', 'main');
    const o2 = stack('strlen', 'parse_entry', 'load_config', 'start_service', 'main');
    // main is generic: 5 comparable frames (weights 1,1,1,1,0.7), one deletion at half cost.
    expect(frameDistance(o0, o2)).toBeCloseTo(0.5 / 4.7);
    expect(frameDistance(o0, o2)).toBeLessThanOrEqual(0.3);
  });

  it('keeps a short stack whose callers were tail-called away with its -O0 build', () => {
    const o0 = stack('start_service', 'cmd_start', 'main');
    const o2 = stack('start_service');
    expect(frameDistance(o0, o2)).toBeCloseTo(0.25);
  });

  it('costs a replaced frame more than a missing one', () => {
    const base = stack('strlen', 'fmt_env_field', 'set_hostname');
    expect(frameDistance(base, stack('strlen', 'fmt_env_field'))).toBeLessThan(
      frameDistance(base, stack('strlen', 'fmt_env_field', 'print_status')),
    );
  });

  it('keeps two different callers of strlen apart', () => {
    const a = stack('strlen', 'parse_entry', 'load_config', 'main');
    const b = stack('strlen', 'format_name', 'print_report', 'main');
    expect(frameDistance(a, b)).toBeCloseTo(2 / 3);
    expect(frameDistance(a, b)).toBeGreaterThan(0.3);
  });

  it('never matches unknown frames with each other', () => {
    expect(frameDistance(stack('??', 'a'), stack('??', 'a'))).toBe(0.5);
  });

  it('compares modules only when both sides know them', () => {
    expect(frameDistance([{ function: 'f', module: 'a.py' }], [{ function: 'f', module: 'b.py' }])).toBe(1);
    expect(frameDistance([{ function: 'f', module: 'a.py' }], [{ function: 'f' }])).toBe(0);
  });

  it('compares only the first maxFrames frames', () => {
    expect(frameDistance(stack('a', 'b', 'x'), stack('a', 'b', 'y'), 2)).toBe(0);
  });

  it('treats an empty stack as carrying no evidence', () => {
    expect(frameDistance([], [])).toBe(1);
    expect(frameDistance(stack('a'), [])).toBe(1);
  });

  it('is symmetric', () => {
    const a = stack('a', 'b', 'c', 'd');
    const b = stack('b', 'c', 'e');
    expect(frameDistance(a, b)).toBe(frameDistance(b, a));
  });
});

describe('stackDistance (position-weighted, not diluted)', () => {
  it('weighs frames near the crash site fully and deeper ones less', () => {
    expect([0, 3, 4, 5].map(positionWeight)).toEqual([1, 1, 0.7, expect.closeTo(0.49)]);
  });

  it('keeps near misses apart however long the shared outer stack is', () => {
    const outer = Array.from({ length: 12 }, (_, i) => `outer${i}`);
    const users = stack('require_field', 'load_users', ...outer);
    const quota = stack('require_field', 'load_quotas', ...outer);
    const d = stackDistance(users, quota);
    expect(d.distance).toBeLessThan(0.3);
    expect(d.cost).toBe(1);
    expect(withinCut(d, 0.3)).toBe(false);
  });

  it('accepts a frame inlined away near the crash site', () => {
    expect(withinCut(stackDistance(stack('strlen', 'fmt', 'set_hostname'), stack('strlen', 'set_hostname')), 0.3)).toBe(true);
  });

  it('keeps main as evidence when a stack has no other program frame', () => {
    const lib = { function: 'strlen', library: true as const };
    expect(stackDistance([lib, { function: 'main' }], [lib, { function: 'main' }]).distance).toBe(0);
    expect(stackDistance([lib, { function: 'main', site: 'aa+0x10' }], [lib, { function: 'main', site: 'aa+0x20' }]).distance).toBeGreaterThan(0);
  });
});

describe('mayJoinByDistance', () => {
  const lib = (name: string) => ({ function: name, library: true as const });

  it('needs a shared program frame', () => {
    expect(mayJoinByDistance([lib('strcmp'), { function: 'parse' }], [lib('strcmp'), { function: 'parse' }, { function: 'main' }])).toBe(true);
    expect(mayJoinByDistance([lib('strcmp'), { function: 'parse' }], [lib('strcmp'), { function: 'load' }])).toBe(false);
  });

  it('never lets a stack of library and generic frames join by distance', () => {
    expect(mayJoinByDistance([lib('strcmp'), { function: 'main' }], [lib('strcmp'), { function: 'x' }, { function: 'main' }])).toBe(false);
  });
});
