import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CEP_MANIFEST_FILE, collectorFileSchema, reportManifestSchema, CEP_COLLECTOR_SCHEMAS, type BuiltinCollectorName, type ReportManifest } from '../../../libs/contracts/src/cep';
import { plantedPythonDir } from '../../test/crash-fixtures.helper';
import { FakeClock } from '../../test/fake-clock.helper';
import { buildHostRoot, SEEDED_SECRETS, virtuozzoHostCommands, virtuozzoHostLayout, writeScript } from '../../test/fixture-host.helper';
import type { Collector } from '../collectors/collector';
import { BUILTIN_COLLECTORS } from '../collectors/collector-registry';
import { parseAgentConfig, type AgentConfig, type AgentConfigInput } from '../config/agent-config';
import { eraseCommand } from '../erasure/erase-command';
import { ProcessCommandRunner, RecordedCommandRunner, type CommandRunner } from '../host/command-runner';
import { readReport } from '../report/report-builder';
import { DEFAULT_TIMETABLE, Schedule } from '../schedule/timetable';
import { resetIdentity } from '../state/host-identity';
import { AgentRuntime } from './agent-runtime';

const SCRIPTS = '/usr/share/virtuozzo/cep-scripts';

/** Product tools replay recordings; collector scripts (absolute paths) really run. */
function hybridRunner(): CommandRunner {
  const recorded = new RecordedCommandRunner(virtuozzoHostCommands());
  const processes = new ProcessCommandRunner();
  return { run: (cmd, args, opts) => (cmd.startsWith('/') ? processes.run(cmd, args, opts) : recorded.run(cmd, args)) };
}

function configFor(root: string, extra: Partial<AgentConfigInput> = {}) {
  const work = mkdtempSync(path.join(tmpdir(), 'cep-agent-'));
  return parseAgentConfig({
    enabled: true,
    host_root: root,
    output_dir: path.join(work, 'output'),
    spool_dir: path.join(work, 'spool'),
    state_dir: path.join(work, 'state'),
    scripts_dir: SCRIPTS,
    collector_timeout: '2s',
    script_timeout: '300ms',
    script_output_limit: 4096,
    protocol: { type: 'FILE', path: path.join(work, 'cache', 'report.tar.gz') },
    ...extra,
  });
}

describe('privacy: nothing seeded into the fixture host reaches the report', () => {
  it('scans the gunzipped tarball bytes for every seeded identifier', async () => {
    const root = buildHostRoot(virtuozzoHostLayout());
    const S = SEEDED_SECRETS;
    // A careless third-party script that dumps identifying data.
    const output = { host: S.fqdn, short: S.hostname, ip: S.ipv4, ip6: S.ipv6, mac: S.mac, admin: S.email, user: S.user, auth: `token=${S.token}`, note: `password: ${S.password}`, serial: S.diskSerial, vm: S.vmName, ct: S.ctName, machine: S.machineId, uuid: S.productUuid };
    const fields = Object.fromEntries(Object.keys(output).map((k) => [k, 'string']));
    // Named after its host, as admins do: the name must not travel.
    writeScript(root, SCRIPTS, `check-${S.hostname}-inventory.sh`, `cat <<'JSON'\n${JSON.stringify(output)}\nJSON`, 0o755, { collector: 'inventory', fields });
    // The same with a field its manifest does not declare (a secret used as a key): refused whole.
    writeScript(root, SCRIPTS, 'keys', `cat <<'JSON'\n${JSON.stringify({ note: 'x', [S.ctHostname]: 1 })}\nJSON`, 0o755, { collector: 'keys', fields: { note: 'string' } });
    const runtime = await AgentRuntime.create(configFor(root), { runner: hybridRunner() });
    const results = await runtime.collect(runtime.enabledCollectors(), { record: true });
    const report = await runtime.build(results, { record: true });

    const bytes = gunzipSync(report.tarball).toString('latin1').toLowerCase();
    const needles = [...Object.values(S), S.wwn.slice(2), S.vmUuid.slice(1, -1), 'jane operator', S.slaveMac];
    for (const needle of needles) expect({ needle, found: bytes.includes(needle.toLowerCase()) }).toEqual({ needle, found: false });
    // The agent's own id is the one identifier that is sent.
    expect(bytes).toContain(runtime.hostId);

    const files = await readReport(report.tarball);
    const manifest = reportManifestSchema.parse(JSON.parse(files.get(CEP_MANIFEST_FILE)!));
    expect(manifest.collectors.map((c) => [c.name, c.status])).toEqual([
      ...Object.keys(CEP_COLLECTOR_SCHEMAS).map((n) => [n, 'ok']),
      ['script.inventory', 'ok'],
      ['script.keys', 'rejected'],
    ]);
    expect(manifest.collectors.find((c) => c.name === 'script.keys')?.reason).toBe("undeclared output: 1 field(s) not in the script's manifest");
    for (const entry of manifest.collectors) {
      const file = collectorFileSchema.parse(JSON.parse(files.get(entry.file)!));
      if (entry.name in CEP_COLLECTOR_SCHEMAS) CEP_COLLECTOR_SCHEMAS[entry.name as BuiltinCollectorName].schema.parse(file.data);
    }
    // Not vacuous: the script's fields are there, their values redacted.
    expect(JSON.parse(files.get('script.inventory.json')!).data).toMatchObject({ host: 'REDACTED', ip: 'REDACTED', admin: 'REDACTED', vm: 'REDACTED', note: 'password: REDACTED' });
    expect(JSON.parse(files.get('script.keys.json')!).data).toBeNull();
    // The latest outputs are kept for the admin, identical to the report members.
    expect(readFileSync(path.join(runtime.config.output_dir, 'cpu.json'), 'utf8').trim()).toBe(files.get('cpu.json'));
  });
});

const declare = (collector: string) => ({ collector, fields: { plugins: 'number' } });

describe('misbehaving collectors are isolated', () => {
  it('a hanging built-in, a hanging script, garbage, oversize and unsafe scripts: own statuses, others ok', async () => {
    const root = buildHostRoot(virtuozzoHostLayout());
    writeScript(root, SCRIPTS, 'hang', 'sleep 30', 0o755, declare('hang'));
    writeScript(root, SCRIPTS, 'garbage', 'echo "this is { not json"', 0o755, declare('garbage'));
    writeScript(root, SCRIPTS, 'huge', `yes '"x",' | head -c 100000`, 0o755, declare('huge'));
    writeScript(root, SCRIPTS, 'failing', 'echo "{}"; exit 3', 0o755, declare('failing'));
    writeScript(root, SCRIPTS, 'writable', 'echo "{}"', 0o777, declare('writable'));
    writeScript(root, SCRIPTS, 'good', `echo '{"plugins": 3}'`, 0o755, declare('good'));
    writeScript(root, SCRIPTS, 'README', 'not executable', 0o644);
    writeScript(root, SCRIPTS, 'undeclared', `echo '{"plugins": 3}'`);
    writeScript(root, SCRIPTS, 'mistyped', `echo '{"plugins": "three"}'`, 0o755, declare('mistyped'));
    const config = configFor(root, { collector_timeout: '200ms' });
    const runtime = await AgentRuntime.create(config, {
      runner: hybridRunner(),
      collectors: { memory: { name: 'memory', collect: () => new Promise(() => undefined) } },
    });
    const started = Date.now();
    const results = await runtime.collect(['memory', 'cpu', 'external-scripts', 'disks'], { record: true });
    expect(Date.now() - started).toBeLessThan(5000);
    const statuses = Object.fromEntries(results.map((r) => [r.name, r.status]));
    expect(statuses).toEqual({
      memory: 'timed-out',
      cpu: 'ok',
      'script.failing': 'failed',
      'script.garbage': 'rejected',
      'script.good': 'ok',
      'script.hang': 'timed-out',
      'script.huge': 'rejected',
      'script.mistyped': 'rejected',
      'script.undeclared-1': 'rejected',
      'script.writable': 'rejected',
      disks: 'ok',
    });
    const files = await readReport((await runtime.build(results, { record: false })).tarball);
    const manifest = reportManifestSchema.parse(JSON.parse(files.get(CEP_MANIFEST_FILE)!));
    expect(manifest.collectors.find((c) => c.name === 'script.garbage')?.reason).toBe('output is not JSON');
    expect(manifest.collectors.find((c) => c.name === 'memory')?.reason).toMatch(/no result within 200 ms/);
    expect(JSON.parse(files.get('script.good.json')!)).toEqual({ name: 'script.good', version: 0, status: 'ok', data: { plugins: 3 } });
  });

  it('an off-schema output (a field not on the allow-list) is rejected, not sent', async () => {
    const runtime = await AgentRuntime.create(configFor(buildHostRoot({})), {
      runner: new RecordedCommandRunner({}),
      collectors: { cpu: { name: 'cpu', collect: async () => ({ status: 'ok', data: { vendor: 'x', hostname: 'leak' } as never }) } },
    });
    const [result] = await runtime.collect(['cpu'], { record: false });
    expect(result).toMatchObject({ status: 'rejected', data: null });
    expect(result.reason).not.toContain('leak');
  });
});

describe('report sequence and erasure key hash in the manifest', () => {
  async function manifestOf(runtime: AgentRuntime, record: boolean) {
    const files = await readReport((await runtime.build([], { record })).tarball);
    return reportManifestSchema.parse(JSON.parse(files.get(CEP_MANIFEST_FILE)!));
  }

  it('counts every recorded build, across restarts; preview shows the next number without using it', async () => {
    const config = configFor(buildHostRoot({}));
    const first = await AgentRuntime.create(config, { runner: new RecordedCommandRunner({}) });
    expect((await manifestOf(first, true)).sequence).toBe(1);
    expect((await manifestOf(first, false)).sequence).toBe(2);
    expect((await manifestOf(first, true)).sequence).toBe(2);
    // A new process: the count comes from the state dir.
    const restarted = await AgentRuntime.create(config, { runner: new RecordedCommandRunner({}) });
    expect(restarted.hostId).toBe(first.hostId);
    expect((await manifestOf(restarted, true)).sequence).toBe(3);
    await resetIdentity(config.state_dir);
    expect((await manifestOf(await AgentRuntime.create(config, { runner: new RecordedCommandRunner({}) }), true)).sequence).toBe(1);
  });

  it('every manifest carries sha256 of the erasure key in the state dir, never the key', async () => {
    const config = configFor(buildHostRoot({}));
    const runtime = await AgentRuntime.create(config, { runner: new RecordedCommandRunner({}) });
    const key = readFileSync(path.join(config.state_dir, 'erasure-key'), 'utf8').trim();
    const report = await runtime.build([], { record: true });
    const manifest = reportManifestSchema.parse(JSON.parse((await readReport(report.tarball)).get(CEP_MANIFEST_FILE)!));
    expect(manifest).toMatchObject({ hostId: runtime.hostId, erasureKeyHash: createHash('sha256').update(key).digest('hex') });
    expect(gunzipSync(report.tarball).toString('latin1')).not.toContain(key);
  });
});

/** A stand-in hub: erases any host (DELETE, then GET answers 404), accepts every report, records every request. */
class RecordingHub {
  readonly requests: { method: string; url: string; hostIdHeader?: string; manifest?: ReportManifest }[] = [];
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const manifest = req.url!.endsWith('/cep-reports') ? reportManifestSchema.parse(JSON.parse((await readReport(body)).get(CEP_MANIFEST_FILE)!)) : undefined;
        this.requests.push({ method: req.method!, url: req.url!, hostIdHeader: req.headers['x-host-id'] as string | undefined, ...(manifest ? { manifest } : {}) });
        const hostId = req.url!.split('/').at(-1);
        if (req.method === 'DELETE') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ hostId, erasedAt: new Date().toISOString(), deleted: { cep_report: 1 } }));
        else if (req.method === 'GET') res.writeHead(404).end();
        else res.writeHead(202).end();
      })();
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

describe('a running agent after `cep-agent erase` in its state dir', () => {
  let hub: RecordingHub;
  let hubUrl: string;
  beforeEach(async () => {
    hub = new RecordingHub();
    hubUrl = await hub.start();
  });
  afterEach(() => hub.stop());

  /** What the state dir holds now, read from the files the way the hub will see it. */
  function identityOnDisk(config: AgentConfig) {
    const key = readFileSync(path.join(config.state_dir, 'erasure-key'), 'utf8').trim();
    return { hostId: readFileSync(path.join(config.state_dir, 'host-id'), 'utf8').trim(), erasureKeyHash: createHash('sha256').update(key).digest('hex') };
  }

  async function erase(config: AgentConfig): Promise<void> {
    const lines: string[] = [];
    const code = await eraseCommand(config, { dryRun: false }, (t) => lines.push(t), (t) => lines.push(t));
    expect({ code, lines }).toMatchObject({ code: 0 });
  }

  it('builds the next report under the new id and key, and drops what it built under the erased id instead of sending it', async () => {
    const abrt = mkdtempSync(path.join(tmpdir(), 'cep-abrt-'));
    plantedPythonDir(abrt);
    const crashes = { abrt_roots: [abrt], anaconda_roots: [], kdump_roots: [], process_unpackaged: true };
    const config = configFor(buildHostRoot({}), { protocol: { type: 'HTTP', hub_url: hubUrl }, http_timeout: '2s', crashes });
    const log: string[] = [];
    const runtime = await AgentRuntime.create(config, { runner: new RecordedCommandRunner({}), log: (m) => log.push(m) });
    const before = identityOnDisk(config);
    expect(runtime.hostId).toBe(before.hostId);
    // One report waits in the spool; another, and a crash scan, were begun but not spooled when erase runs.
    await runtime.enqueue(await runtime.build([], { record: true }));
    const builtBefore = await runtime.build([], { record: true });
    const reporterBefore = runtime.crashReporter();
    expect(builtBefore.manifest).toMatchObject({ hostId: before.hostId, erasureKeyHash: before.erasureKeyHash, sequence: 2 });

    await erase(config);
    const after = identityOnDisk(config);
    expect(after.hostId).not.toBe(before.hostId);
    expect(after.erasureKeyHash).not.toBe(before.erasureKeyHash);

    // The runs that began before the erase finish by spooling what they built.
    await runtime.enqueue(builtBefore);
    const [crashBefore] = await reporterBefore.collect();
    expect(crashBefore).toBeDefined();
    const next = await runtime.build([], { record: true });
    expect(next.manifest).toMatchObject({ hostId: after.hostId, erasureKeyHash: after.erasureKeyHash, sequence: 1 });
    await runtime.enqueue(next);
    expect(await runtime.deliver({ maxFailures: 1 })).toEqual({ sent: [next.reportId], remaining: 0 });

    expect(hub.requests.map((r) => [r.method, r.url, r.hostIdHeader, r.manifest?.hostId, r.manifest?.erasureKeyHash])).toEqual([
      ['DELETE', `/api/v1/hosts/${before.hostId}`, undefined, undefined, undefined],
      ['GET', `/api/v1/hosts/${before.hostId}`, undefined, undefined, undefined],
      ['POST', '/api/v1/cep-reports', after.hostId, after.hostId, after.erasureKeyHash],
    ]);
    for (const id of [builtBefore.reportId, crashBefore]) expect(log).toContain(`cep-agent: dropped report ${id}: built under a host id this host no longer has`);
    expect(runtime.hostId).toBe(after.hostId);
    expect(runtime.erasureKeyHash).toBe(after.erasureKeyHash);
  });

  it('the daemon: the run during the erase and the runs after it report under the new id and key, at the offset of the new id', async () => {
    const period = 900_000;
    const config = configFor(buildHostRoot(virtuozzoHostLayout()), { report_period: '15m', protocol: { type: 'HTTP', hub_url: hubUrl }, http_timeout: '2s' });
    let erased: Promise<void> | undefined;
    // The admin erases the host while Tuesday's collectors run.
    const cpu: Collector<'cpu'> = {
      name: 'cpu',
      async collect(ctx) {
        await (erased ??= erase(config));
        return BUILTIN_COLLECTORS.cpu.collect(ctx);
      },
    };
    const start = Date.parse('2026-11-23T00:00:00Z');
    const clock = new FakeClock(start);
    const runtime = await AgentRuntime.create(config, { clock, runner: new RecordedCommandRunner(virtuozzoHostCommands()), collectors: { cpu } });
    const before = identityOnDisk(config);
    const stop = new AbortController();
    const slots: { at: number; day: string }[] = [];
    await runtime.runDaemon(stop.signal, (slot) => {
      slots.push({ at: slot.at, day: slot.day });
      if (slots.length === 3) stop.abort();
    });
    expect(erased).toBeDefined();
    const after = identityOnDisk(config);
    expect(after.hostId).not.toBe(before.hostId);
    await runtime.deliver({ maxFailures: 1 });

    // Monday and Tuesday at the old id's offset; the run after the erase at the new id's.
    const oldSchedule = new Schedule(DEFAULT_TIMETABLE, period, before.hostId);
    const monday = oldSchedule.nextSlot(start);
    const tuesday = oldSchedule.nextSlot(monday.at);
    const third = new Schedule(DEFAULT_TIMETABLE, period, after.hostId).nextSlot(tuesday.at);
    expect(slots).toEqual([monday, tuesday, third].map(({ at, day }) => ({ at, day })));
    // Else the check above could not tell the two offsets apart.
    expect(Schedule.hostOffset(after.hostId, Math.floor(period / 7))).not.toBe(Schedule.hostOffset(before.hostId, Math.floor(period / 7)));

    const reports = hub.requests.filter((r) => r.method === 'POST').map((r) => [r.hostIdHeader, r.manifest?.hostId, r.manifest?.erasureKeyHash, r.manifest?.sequence]);
    expect(hub.requests.map((r) => r.method)).toEqual(['POST', 'DELETE', 'GET', 'POST', 'POST']);
    expect(reports).toEqual([
      [before.hostId, before.hostId, before.erasureKeyHash, 1],
      [after.hostId, after.hostId, after.erasureKeyHash, 1],
      [after.hostId, after.hostId, after.erasureKeyHash, 2],
    ]);
  });
});
