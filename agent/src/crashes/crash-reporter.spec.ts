import { mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { AgentCrashReportSchema } from '../../../libs/contracts/src';
import { crashFromProblemDir } from '../../../libs/crash-reports/src/problem-dir-to-crash';
import { crashFromUReport } from '../../../libs/crash-reports/src/ureport-to-crash';
import { readArchive, toProblemDirectory } from '../../../libs/storage/src/archive';
import {
  ANACONDA_DUMPS,
  ANACONDA_SECRETS,
  anacondaDump,
  copyProblemDir,
  PLANTED,
  plantedCcppDir,
  plantedKdumpDir,
  plantedPythonDir,
  UPSTREAM_PROBLEM_DIRS,
  upstreamDir,
} from '../../test/crash-fixtures.helper';
import { FakeClock } from '../../test/fake-clock.helper';
import { UPSTREAM } from '../../test/fixture-host.helper';
import { Spool } from '../delivery/spool';
import { crashesConfigSchema, type CrashesConfig } from './crash-config';
import { CrashReporter, type CrashSubmission } from './crash-reporter';
import { discoverProblems } from './problem-discovery';
import words from './forbidden-words.json';
import { forbiddenWordIn, ProblemScrubber } from './problem-scrubber';
import { resolveRigSettings } from './rig-settings';

const HOST_ID = '5b3c1f7e-2d4a-4c6b-9e8f-1a2b3c4d5e6f';
const LIMITS = { maxCompressedBytes: 1 << 26, maxUnpackedBytes: 1 << 28, maxEntries: 2000, maxEntryBytes: 1 << 26 };

interface Rig {
  roots: { abrt: string; tmp: string; anacondaLog: string; crash: string };
  config: CrashesConfig;
  spool: Spool;
  stateDir: string;
  reporter: (labels?: Record<string, string>, extra?: Partial<CrashesConfig>) => CrashReporter;
}

function setup(extra: Partial<CrashesConfig> = {}): Rig {
  const work = mkdtempSync(path.join(tmpdir(), 'cep-crashes-'));
  const roots = { abrt: path.join(work, 'spool-abrt'), tmp: path.join(work, 'tmp'), anacondaLog: path.join(work, 'log-anaconda'), crash: path.join(work, 'crash') };
  Object.values(roots).forEach((d) => mkdirSync(d, { recursive: true }));
  // The crash policy has its own tests; here every package and unpackaged program may be sent.
  const config = crashesConfigSchema.parse({ abrt_roots: [roots.abrt], anaconda_roots: [roots.tmp, roots.anacondaLog], kdump_roots: [roots.crash], packages: ['*'], process_unpackaged: true });
  const spool = new Spool(path.join(work, 'spool'), 500, () => undefined);
  const stateDir = path.join(work, 'state');
  const clock = new FakeClock(Date.parse('2026-11-24T10:00:00Z'));
  const reporter = (labels: Record<string, string> = {}, more: Partial<CrashesConfig> = {}) =>
    new CrashReporter({ config: { ...config, ...extra, ...more }, hostId: HOST_ID, spool, stateDir, labels, hostSensitiveValues: async () => ['vzhost-0451'], clock, log: () => undefined });
  return { roots, config, spool, stateDir, reporter };
}

async function decodeArchive(s: CrashSubmission) {
  return toProblemDirectory(await readArchive(s.body, LIMITS));
}

/** Everything that would go on the wire, archives unpacked. */
function wireText(s: CrashSubmission): string {
  return s.body.toString('latin1') + (s.kind === 'crash-archive' ? gunzipSync(s.body).toString('latin1') : '') + JSON.stringify(s.headers ?? {});
}

async function buildAll(reporter: CrashReporter): Promise<Map<string, CrashSubmission>> {
  const out = new Map<string, CrashSubmission>();
  for (const f of await reporter.scan()) if (f.status === 'new' || f.status === 'repeat') out.set(path.basename(f.location.path), await reporter.build(f));
  return out;
}

describe('crash discovery', () => {
  it('finds complete problems only: no .new, no count-less ABRT dirs, no incomplete kdumps, no anaconda-tb-all.log', async () => {
    const { roots, config } = setup();
    copyProblemDir(upstreamDir('satyr/tests/problem_dir'), roots.abrt, 'ccpp-done');
    copyProblemDir(upstreamDir('satyr/tests/problem_dir'), roots.abrt, 'ccpp-2026-11-24-10:00:00.1-1.new');
    plantedPythonDir(roots.abrt, 'python-no-count');
    writeFileSync(path.join(roots.abrt, 'python-no-count', 'count'), '');
    const noCount = plantedPythonDir(roots.abrt, 'python-being-written');
    renameSync(path.join(noCount, 'count'), path.join(noCount, 'count.tmp'));
    anacondaDump(roots.tmp, ANACONDA_DUMPS[0]);
    writeFileSync(path.join(roots.tmp, 'anaconda-tb-all.log'), 'threads');
    writeFileSync(path.join(roots.tmp, 'unrelated'), 'x');
    plantedKdumpDir(roots.crash, 'done');
    writeFileSync(path.join(plantedKdumpDir(roots.crash, 'saving'), 'vmcore-incomplete'), '');
    const found = (await discoverProblems(config)).map((l) => `${l.kind}:${path.basename(l.path)}`);
    expect(found.sort()).toEqual(['abrt:ccpp-done', 'abrt:python-no-count', 'anaconda:anaconda-tb-bootloader-el9', 'kdump:done'].sort());
  });
});

describe('crash reports', () => {
  it.each(UPSTREAM_PROBLEM_DIRS)('upstream %s becomes a report the hub can decode', async (rel) => {
    const { roots, reporter } = setup();
    copyProblemDir(upstreamDir(rel), roots.abrt, 'ccpp-2024-01-02-03:04:05.123456-4242');
    const [s] = (await buildAll(reporter())).values();
    if (s.kind === 'crash-report') {
      const report = AgentCrashReportSchema.parse(JSON.parse(s.body.toString()));
      expect(crashFromUReport(report.ureport).crash.frames.length).toBeGreaterThan(0);
      expect(report.hostId).toBe(HOST_ID);
    } else {
      const dir = await decodeArchive(s);
      // sample_problems/1 is a Python traceback filed as CCpp: the hub takes it, with no frames.
      expect(crashFromProblemDir(dir).problemType).toBe('CCpp');
      expect(dir.text('environ')).toBeUndefined();
      expect(dir.text('coredump')).toBeUndefined();
    }
    // core_backtrace samples go as uReports; gdb-only (and the mislabelled Python sample) as archives.
    expect(s.kind).toBe(rel.includes('sample_problems/1') || rel.includes('bugzilla') ? 'crash-archive' : 'crash-report');
  });

  it('anaconda dumps become anaconda problem-dir archives without kickstart secrets, keeping the disk list', async () => {
    const { roots, reporter } = setup();
    for (const f of ANACONDA_DUMPS) anacondaDump(roots.tmp, f);
    const built = await buildAll(reporter());
    expect(built.size).toBe(3);
    for (const s of built.values()) {
      expect(s.kind).toBe('crash-archive');
      const dir = await decodeArchive(s);
      expect(dir.text('anaconda-tb')).toMatch(/^anaconda \d+(\.\d+)+ exception report$/m);
      const crash = crashFromProblemDir(dir);
      expect(crash.problemType).toBe('anaconda');
      expect(crash.crash.frames.length).toBeGreaterThan(2);
      for (const secret of ANACONDA_SECRETS) expect(wireText(s)).not.toContain(secret);
      expect(wireText(s)).not.toMatch(/rootpw|\$6\$/);
    }
    const el9 = await decodeArchive(built.get('anaconda-tb-bootloader-el9')!);
    expect(crashFromProblemDir(el9).packageVersion).toBe('34.25.4.9');
    expect(el9.text('lsblk_output')).toMatch(/^vda\s+64G disk/m);
  });

  it('python, core and vmcore problems become uReports; planted secrets never leave, hardware facts do', async () => {
    const { roots, reporter } = setup();
    plantedPythonDir(roots.abrt);
    plantedCcppDir(roots.abrt);
    plantedKdumpDir(roots.crash);
    for (const archive of [false, true]) {
      const built = [...(await buildAll(reporter({}, { archive }))).values()];
      expect(built.map((s) => s.kind)).toEqual(Array(3).fill(archive ? 'crash-archive' : 'crash-report'));
      for (const s of built) {
        const wire = wireText(s);
        for (const secret of Object.values(PLANTED)) expect(wire.toLowerCase()).not.toContain(secret.toLowerCase());
        expect(wire).not.toContain('vzhost-0451');
        if (s.ureport?.problem.type === 'kerneloops') {
          expect(s.ureport.problem.raw_oops).toContain('Hardware name: Dell Inc. PowerEdge R640');
          expect(s.ureport.problem.modules).toContain('ploop');
          expect(s.ureport.problem.taint_flags).toEqual(['module_out_of_tree']);
          expect(s.ureport.problem.frames[0].function_name).toBe('ploop_req_state_process');
          expect(s.ureport.reason).toBe('NULL pointer dereference in ploop_req_state_process [ploop]');
          // The oops comes out of vmcore-dmesg.txt without its timestamps.
          expect(s.ureport.problem.raw_oops).toMatch(/^BUG: unable to handle kernel NULL pointer dereference/);
        }
        if (s.ureport?.problem.type === 'python') {
          // A path no package owns keeps its base name only.
          expect(s.ureport.problem.stacktrace[0]).toMatchObject({ file_name: '[local]/sync.py', function_name: 'connect', file_line: 12 });
          expect(s.ureport.reason).toBe('ConnectionRefusedError in [local]/sync.py:12');
        }
        if (archive) {
          const dir = await decodeArchive(s);
          expect(dir.text('environ')).toBeUndefined();
          expect(crashFromProblemDir(dir).crash.frames.length).toBeGreaterThan(0);
          if (dir.text('type') === 'CCpp') expect(dir.text('cpuinfo')).toContain('Intel(R) Xeon(R) Gold 6230');
        }
      }
    }
  });

  it('coredump only with include_coredump; environ never, whatever the allow-list says', async () => {
    const { roots, reporter } = setup({ archive: true });
    const dir = copyProblemDir(upstreamDir('libreport/src/plugins/python/fixtures/sample_problem'), roots.abrt, 'ccpp-x');
    writeFileSync(path.join(dir, 'coredump'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1]));
    writeFileSync(path.join(dir, 'environ'), `SECRET_TOKEN=${PLANTED.token}\n`);
    const names = async (include: boolean) => [...(await readArchive((await buildAll(reporter({}, { include_coredump: include }))).get('ccpp-x')!.body, LIMITS)).keys()].map((n) => n.split('/').pop());
    expect(await names(false)).not.toContain('coredump');
    expect(await names(true)).toContain('coredump');
    expect(await names(true)).not.toContain('environ');
    expect(ProblemScrubber.forProblem({ location: { kind: 'abrt', path: dir }, name: 'x', elements: new Map() }, HOST_ID, []).element('environ', 'A=1')).toBeUndefined();
  });

  it('rig labels travel in the report body and in the archive header', async () => {
    const { roots, reporter } = setup();
    plantedPythonDir(roots.abrt);
    anacondaDump(roots.tmp, ANACONDA_DUMPS[2]);
    const labels = resolveRigSettings({ name: 'rig-a' }, { CEP_TEST_RUN_ID: 'run-42', CEP_BUILD: '9.2.1-17', CEP_TEST_NAME: 'ploop/snapshot', CEP_API_TOKEN: 'tkn' }, false)!;
    expect(labels).toEqual({ labels: { rig: 'rig-a', test_run: 'run-42', build: '9.2.1-17', test_name: 'ploop/snapshot' }, token: 'tkn' });
    const built = [...(await buildAll(reporter(labels.labels))).values()];
    const report = built.find((s) => s.kind === 'crash-report')!;
    expect(JSON.parse(report.body.toString()).labels).toEqual(labels.labels);
    const archive = built.find((s) => s.kind === 'crash-archive')!;
    expect(JSON.parse(archive.headers!['x-report-labels'])).toEqual(labels.labels);
    expect(archive.headers!['x-occurrences']).toBe('1');
    expect(resolveRigSettings(undefined, { CEP_RIG_NAME: 'x' }, false)).toBeUndefined();
  });
});

describe('local dedup', () => {
  it('sends a problem once; a grown count sends the increase under a new id; state survives a restart', async () => {
    const { roots, reporter, spool } = setup();
    const dir = plantedPythonDir(roots.abrt, 'python-1', 2);
    const first = await reporter().collect();
    expect(first).toHaveLength(1);
    expect(await reporter().collect()).toEqual([]);
    writeFileSync(path.join(dir, 'count'), '5');
    writeFileSync(path.join(dir, 'last_occurrence'), '1795000600');
    const [found] = await reporter().scan();
    expect(found).toMatchObject({ status: 'repeat', occurrences: 3 });
    const second = await reporter().collect();
    expect(second).toHaveLength(1);
    expect(second[0]).not.toBe(first[0]);
    const entries = await spool.list();
    const bodies = await Promise.all(entries.map(async (e) => JSON.parse((await spool.read(e))!.toString())));
    const bySerial = bodies.sort((a, b) => a.ureport.problem.serial - b.ureport.problem.serial);
    expect(bySerial.map((b) => [b.occurrences, b.ureport.problem.serial])).toEqual([
      [2, 2],
      [3, 5],
    ]);
    expect(bySerial[1].crashedAt).toBe(new Date(1795000600 * 1000).toISOString());
    expect(await reporter().collect()).toEqual([]);
  });

  it('dying between spooling and recording re-spools the same id, not a second report', async () => {
    const { roots, reporter, spool, stateDir } = setup();
    plantedPythonDir(roots.abrt);
    const [id] = await reporter().collect();
    // The state write never happened.
    writeFileSync(path.join(stateDir, 'crash-state.json'), '{"problems":{}}');
    expect(await reporter().collect()).toEqual([id]);
    expect((await spool.list()).map((e) => e.reportId)).toEqual([id]);
  });
});

describe('privacy data', () => {
  it('the forbidden/ignored word lists are libreport’s, verbatim', () => {
    const conf = (f: string) => readFileSync(path.join(UPSTREAM, 'libreport/src/gui-wizard-gtk', f), 'utf8').split('\n').filter((l) => l.trim());
    expect(words.forbidden).toEqual(conf('forbidden_words.conf'));
    expect(words.ignored).toEqual(conf('ignored_words.conf'));
    expect(words.ignoredElements).toEqual(conf('ignored_elements.conf'));
  });

  it('forbidden words inside ignored phrases do not count; /home/<user> is anonymized', () => {
    expect(forbiddenWordIn('keyboard us')).toBeUndefined();
    expect(forbiddenWordIn('rootpw --plaintext x')).toBe('rootpw');
    expect(forbiddenWordIn('sshkey --username=bob "ssh-ed25519 AAAA"')).toBeDefined();
    const s = ProblemScrubber.forProblem({ location: { kind: 'abrt', path: '/x' }, name: 'x', elements: new Map([['username', 'bob7']]) }, HOST_ID, []);
    expect(s.string('/home/bob7/src/a.py')).toBe('[local]/a.py');
    expect(s.string('/usr/lib64/python3.9/site-packages/bob7/a.py')).toBe('/usr/lib64/python3.9/site-packages/REDACTED/a.py');
    expect(s.element('reason', 'bob7 crashed')).toBe('REDACTED crashed');
    expect(s.element('backtrace', '  File "/home/x/key.py", line 1, in get_password\n    password = "p"\nKeyError')).toBe(
      '  File "[local]/key.py", line 1, in get_password\n    [line removed: sensitive word]\nKeyError',
    );
  });
});
