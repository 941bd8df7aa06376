import { exactSignature } from './crash-signature';
import { NormalizedFrame } from './frame-normalization';

const stack = (...names: string[]): NormalizedFrame[] => names.map((name) => ({ function: name }));

describe('exactSignature', () => {
  const frames = stack('parse_entry', 'load_config', 'start_service', 'main');

  it('gives a readable title of the component and first three frames', () => {
    expect(exactSignature('core', 'vzctl', frames).text).toBe('vzctl: parse_entry | load_config | start_service');
    expect(exactSignature('core', 'vzctl', []).text).toBe('vzctl: (no frames)');
  });

  it('hashes family, component and frames as sha256 hex', () => {
    const base = exactSignature('core', 'vzctl', frames).hash;
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(exactSignature('core', 'vzctl', stack(...frames.map((f) => f.function))).hash).toBe(base);
    expect(exactSignature('core', 'prlctl', frames).hash).not.toBe(base);
    expect(exactSignature('xorg', 'vzctl', frames).hash).not.toBe(base);
    expect(exactSignature('core', 'vzctl', stack('parse_entry', 'load_config')).hash).not.toBe(base);
  });

  it('only looks at the first frameCount frames', () => {
    const longer = [...frames, { function: 'extra' }];
    expect(exactSignature('core', 'c', longer, 4).hash).toBe(exactSignature('core', 'c', frames, 4).hash);
    expect(exactSignature('core', 'c', longer).hash).not.toBe(exactSignature('core', 'c', frames).hash);
  });

  it('uses 6 frames for kernel oopses', () => {
    const a = stack('a', 'b', 'c', 'd', 'e', 'f', 'suspend');
    const b = stack('a', 'b', 'c', 'd', 'e', 'f', 'hibernate');
    expect(exactSignature('kerneloops', 'kernel', a).hash).toBe(exactSignature('kerneloops', 'kernel', b).hash);
  });

  it('includes the module for Python frames', () => {
    const a = exactSignature('python', 'c', [{ function: 'run', module: 'a/x.py' }]).hash;
    const b = exactSignature('python', 'c', [{ function: 'run', module: 'b/x.py' }]).hash;
    expect(a).not.toBe(b);
  });
});
