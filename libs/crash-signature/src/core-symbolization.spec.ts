import { applySymbols, symbolsOf, unnamedFrameKeys } from './core-symbolization';
import type { CrashFrame } from './crash-thread';

const named: CrashFrame[] = [
  { function: '__strlen_evex', buildId: 'aa', buildIdOffset: 100 },
  { function: 'fmt_env_field', buildId: 'bb', buildIdOffset: 4660 },
  { function: 'main', buildId: 'bb', buildIdOffset: 4096 },
];
const stripped: CrashFrame[] = [
  { function: '__strlen_evex', buildId: 'aa', buildIdOffset: 100 },
  { buildId: 'bb', buildIdOffset: 4660 },
  { buildId: 'bb', buildIdOffset: 9999 },
];

describe('core symbolization from sibling reports', () => {
  it('learns named frames that have a build id and offset', () => {
    expect(symbolsOf(named)).toHaveLength(3);
    expect(symbolsOf([{ function: 'f' }, { buildId: 'x', buildIdOffset: 1 }])).toEqual([]);
  });

  it('names the unnamed frames of the same build at the same offsets only', () => {
    expect(unnamedFrameKeys(stripped)).toEqual([
      { buildId: 'bb', offset: 4660 },
      { buildId: 'bb', offset: 9999 },
    ]);
    const result = applySymbols(stripped, symbolsOf(named));
    expect(result.map((f) => f.function)).toEqual(['__strlen_evex', 'fmt_env_field', undefined]);
    expect(stripped[1].function).toBeUndefined();
  });
});
