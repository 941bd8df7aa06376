import { frameDistance } from './frame-distance';
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
    // main is generic: 5 comparable frames, one deletion at half cost.
    expect(frameDistance(o0, o2)).toBeCloseTo(0.5 / 5);
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
