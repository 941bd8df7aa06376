import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCoreBacktrace } from './core-backtrace-parser';
import { normalizeFrames } from './frame-normalization';

const UPSTREAM = join(__dirname, '../../../test/fixtures/upstream');
const read = (path: string) => readFileSync(join(UPSTREAM, path), 'utf8');

describe('parseCoreBacktrace', () => {
  it('reads satyr problem_dir/core_backtrace', () => {
    const parsed = parseCoreBacktrace(read('satyr/tests/problem_dir/core_backtrace'));
    expect(parsed).toMatchObject({ family: 'core', signal: 11, executable: '/usr/bin/sleep' });
    expect(parsed.frames[0]).toEqual({
      function: '__nanosleep',
      file: '/usr/lib64/libc-2.23.so',
      module: 'libc-2.23.so',
      buildId: 'fbac2849c88def5897d3d3c1cd5adab0bcc1aec2',
      buildIdOffset: 850464,
      address: 140598631418400,
    });
    expect(normalizeFrames('core', parsed.frames).map((f) => f.function).slice(0, 3)).toEqual([
      '__nanosleep',
      'rpl_nanosleep',
      'xnanosleep',
    ]);
  });

  it('picks the crash_thread among several threads and ignores unknown keys', () => {
    const parsed = parseCoreBacktrace(read('satyr/tests/json_files/core-01'));
    expect(parsed.signal).toBe(6);
    expect(parsed.frames.map((f) => f.function)).toEqual(['raise', 'abort', undefined, '__libc_start_main']);
    // The unnamed frame below abort is kept as its build id + offset: a stripped build's identity.
    expect(normalizeFrames('core', parsed.frames)).toEqual([
      { function: expect.stringMatching(/@[0-9a-f]{12}\+0x[0-9a-f]+$/), unsymbolized: true },
    ]);
  });

  it('reads libreport sample_problem/core_backtrace', () => {
    const parsed = parseCoreBacktrace(read('libreport/src/plugins/python/fixtures/sample_problem/core_backtrace'));
    expect(parsed.frames.length).toBeGreaterThan(0);
    expect(normalizeFrames('core', parsed.frames)[0].function).toBe('read');
  });

  it('reads the problem of a core uReport', () => {
    const ureport = JSON.parse(read('satyr/tests/json_files/ureport-1')) as { problem: object };
    const parsed = parseCoreBacktrace(ureport.problem);
    expect(parsed.frames.length).toBeGreaterThan(0);
    expect(parsed.executable).toBe('/usr/bin/sleep');
  });

  it('falls back to the first thread and rejects input without threads', () => {
    const parsed = parseCoreBacktrace({ stacktrace: [{ frames: [{ function_name: 'f' }] }, { frames: [] }] });
    expect(parsed.frames).toEqual([{ function: 'f' }]);
    expect(() => parseCoreBacktrace('{"stacktrace": []}')).toThrow();
  });
});
