import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAnacondaDump } from './anaconda-dump-parser';
import { exactSignature } from './crash-signature';
import { frameDistance } from './frame-distance';
import { normalizeFrames } from './frame-normalization';

const DIR = join(__dirname, '../../../test/fixtures/anaconda');
const parse = (name: string) => parseAnacondaDump(readFileSync(join(DIR, name), 'utf8'));
const normalized = (name: string) => normalizeFrames('anaconda', parse(name).frames);

describe('parseAnacondaDump', () => {
  it('reads version, frames (most recent first) and exception', () => {
    const parsed = parse('anaconda-tb-bootloader-el9');
    expect(parsed.anacondaVersion).toBe('34.25.4.9');
    expect(parsed.exceptionName).toBe('AttributeError');
    expect(parsed.frames).toHaveLength(6);
    expect(parsed.frames[0]).toEqual({
      file: '/usr/lib64/python3.9/site-packages/pyanaconda/modules/storage/bootloader/base.py',
      line: 612,
      function: '_is_valid_disklabel',
    });
    expect(parsed.frames[5].function).toBe('_method_callback');
  });

  it('does not read past the traceback into the object dump or kickstart', () => {
    const frames = parse('anaconda-tb-network-keyfile').frames;
    expect(frames).toHaveLength(6);
    expect(JSON.stringify(frames)).not.toMatch(/rootpw|172\.16|lab\.example/);
    expect(parse('anaconda-tb-network-keyfile').exceptionName).toBe('FileNotFoundError');
  });

  it('groups the same bug across python3.9/python3.12 installs and shifted lines', () => {
    const el9 = normalized('anaconda-tb-bootloader-el9');
    const el10 = normalized('anaconda-tb-bootloader-el10');
    expect(el9[0]).toEqual({
      function: '_is_valid_disklabel',
      module: 'pyanaconda/modules/storage/bootloader/base.py',
    });
    expect(el9).toEqual(el10);
    expect(exactSignature('anaconda', 'anaconda', el9)).toEqual(exactSignature('anaconda', 'anaconda', el10));
    expect(parse('anaconda-tb-bootloader-el10').anacondaVersion).toBe('40.22.3.13');
  });

  it('keeps a different bug apart', () => {
    const other = normalized('anaconda-tb-network-keyfile');
    const el9 = normalized('anaconda-tb-bootloader-el9');
    const signature = (frames: typeof el9) => exactSignature('anaconda', 'anaconda', frames).hash;
    expect(signature(other)).not.toBe(signature(el9));
    expect(frameDistance(other, el9)).toBeGreaterThan(0.9);
  });

  it('rejects text without a meh traceback', () => {
    expect(() => parseAnacondaDump('anaconda 34.25 exception report\n')).toThrow();
  });
});
