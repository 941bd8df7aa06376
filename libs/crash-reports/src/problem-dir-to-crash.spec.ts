import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toProblemDirectory } from '../../storage/src/archive';
import { CrashInputError } from './crash-input';
import { crashFromProblemDir, problemOccurrences } from './problem-dir-to-crash';

const UPSTREAM = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'upstream');

function directory(elements: Record<string, string>) {
  return toProblemDirectory(new Map(Object.entries(elements).map(([k, v]) => [k, Buffer.from(v)])));
}

function upstreamDirectory(path: string) {
  const dir = join(UPSTREAM, path);
  return directory(Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')])));
}

describe('crashFromProblemDir', () => {
  it('takes package, OS, kernel, time, count and CPU from a real CCpp directory', () => {
    const input = crashFromProblemDir(upstreamDirectory('libreport/src/plugins/python/fixtures/sample_problem'));
    expect(input).toMatchObject({
      problemType: 'CCpp',
      component: 'libreport',
      executable: '/usr/bin/reporter-mantisbt',
      packageName: 'libreport-plugin-mantisbt',
      packageVersion: '2.17.1-1.fc36',
      osRelease: 'Fedora release 36 (Thirty Six)',
      kernel: '5.18.5-200.fc36.x86_64',
      architecture: 'x86_64',
      occurrences: 1,
      crashedAt: new Date(1655815326 * 1000),
      hardware: { cpuVendor: 'GenuineIntel', cpuCount: 8 },
    });
    expect(input.crash.family).toBe('core');
    expect(input.crash.frames.length).toBeGreaterThan(0);
  });

  it('falls back to the gdb backtrace when core_backtrace is missing', () => {
    const input = crashFromProblemDir(upstreamDirectory('abrt/tests/runtests/bugzilla-comment-format/problem_dir'));
    expect(input.crash.family).toBe('core');
    expect(input.crash.frames.some((f) => f.function)).toBe(true);
  });

  it('names unpackaged executables as satyr does, and kernel crashes `kernel`', () => {
    const core = '{"signal":11,"executable":"/opt/x/bin/tool","stacktrace":[{"crash_thread":true,"frames":[{"address":1,"build_id_offset":1,"file_name":"/opt/x/bin/tool","function_name":"f"}]}]}';
    expect(crashFromProblemDir(directory({ type: 'CCpp', executable: '/opt/x/bin/tool', core_backtrace: core })).component).toBe('tool-unpackaged');
    const oops = readFileSync(join(UPSTREAM, 'abrt/tests/examples/oops1.right'), 'utf8');
    expect(crashFromProblemDir(directory({ type: 'Kerneloops', backtrace: oops, component: 'ignored' })).component).toBe('kernel');
  });

  it('refuses a directory without its stack, naming the elements it looked for', () => {
    expect(() => crashFromProblemDir(directory({ type: 'Python3', reason: 'x' }))).toThrow(CrashInputError);
    expect(() => crashFromProblemDir(directory({ type: 'vmcore' }))).toThrow(/vmcore-dmesg\.txt, backtrace/);
  });

  it('reads ABRT count as occurrences, one when absent or garbage', () => {
    expect(problemOccurrences(directory({ type: 'CCpp', count: '7\n' }))).toBe(7);
    expect(problemOccurrences(directory({ type: 'CCpp' }))).toBe(1);
    expect(problemOccurrences(directory({ type: 'CCpp', count: 'many' }))).toBe(1);
  });
});
