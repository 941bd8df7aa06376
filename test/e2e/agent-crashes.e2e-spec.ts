import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
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
} from '../../agent/test/crash-fixtures.helper';
import { crashReportId } from '../../agent/src/crashes/crash-state-store';
import { startTestHub, TestHub } from '../support/test-hub';
import { waitFor } from '../support/wait-for';

const CLI = path.resolve(__dirname, '../../dist/agent/src/cli/cep-agent.js');
const TOKEN = 'rig-ingest-token-0815';
/** Host data in the upstream samples (environ, hostname, username, maps, var_log_messages). */
const UPSTREAM_SECRETS = ['dhcp-24-126', 'mhabrnal', 'fluffy', 'rmarko', 'LS_COLORS', 'SUDO_COMMAND'];

interface Captured {
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * Sits between agent and hub and keeps every byte the agent sends. In `hold` mode the request still
 * reaches the hub (which stores it) but the answer never reaches the agent: a send cut off midway.
 */
class CapturingProxy {
  readonly captured: Captured[] = [];
  mode: 'pass' | 'hold' = 'pass';
  private readonly server = http.createServer((req, res) => this.forward(req, res));
  private readonly held: http.ServerResponse[] = [];

  constructor(private readonly hubUrl: string) {}

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.held.forEach((r) => r.destroy());
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      this.captured.push({ url: req.url!, headers: req.headers, body });
      const mode = this.mode;
      const upstream = http.request(new URL(req.url!, this.hubUrl), { method: req.method, headers: { ...req.headers, host: new URL(this.hubUrl).host } }, (answer) => {
        const parts: Buffer[] = [];
        answer.on('data', (c: Buffer) => parts.push(c));
        answer.on('end', () => {
          if (mode === 'hold') return void this.held.push(res);
          res.writeHead(answer.statusCode!, answer.headers).end(Buffer.concat(parts));
        });
      });
      upstream.end(body);
    });
  }
}

interface AgentDirs {
  work: string;
  abrt: string;
  tmp: string;
  crash: string;
  config: string;
  state: string;
}

function agentDirs(hubUrl: string, extra: Record<string, unknown> = {}, crashes: Record<string, unknown> = {}): AgentDirs {
  const work = mkdtempSync(path.join(tmpdir(), 'cep-agent-crashes-'));
  const d = { work, abrt: path.join(work, 'abrt'), tmp: path.join(work, 'tmp'), crash: path.join(work, 'crash'), config: path.join(work, 'agent.json'), state: path.join(work, 'state') };
  [d.abrt, d.tmp, d.crash, path.join(work, 'host')].forEach((p) => mkdirSync(p, { recursive: true }));
  writeFileSync(
    d.config,
    JSON.stringify({
      enabled: true,
      host_root: path.join(work, 'host'),
      output_dir: path.join(work, 'output'),
      spool_dir: path.join(work, 'spool'),
      state_dir: d.state,
      scripts_dir: '/nonexistent',
      protocol: { type: 'HTTP', hub_url: hubUrl, token: TOKEN },
      http_timeout: '10s',
      retry_initial: '200ms',
      retry_max: '1s',
      crashes: { abrt_roots: [d.abrt], anaconda_roots: [d.tmp], kdump_roots: [d.crash], ...crashes },
      ...extra,
    }),
  );
  return d;
}

function startAgent(config: string, args: string[], env: Record<string, string> = {}): { child: ChildProcess; stderr: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, '--config', config, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stderr: () => stderr, exited };
}

const reportIdOf = (c: Captured) => (c.headers['content-type'] === 'application/json' ? (JSON.parse(c.body.toString()) as { reportId: string }).reportId : String(c.headers['x-report-id']));
/** Every byte sent, archives also inflated. */
const wireText = (c: Captured) => [JSON.stringify(c.headers), c.body.toString('latin1'), c.headers['content-type'] === 'application/gzip' ? gunzipSync(c.body).toString('latin1') : ''].join('\n');

describe('agent crash collection against the real hub', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub('agentcrashes', { INGEST_TOKEN: TOKEN });
  });
  afterAll(() => hub.close());

  it.each([
    ['uReports', false],
    ['archives', true],
  ])('every upstream problem dir, anaconda dump and planted crash is processed (as %s); no secret is sent', async (_mode, archive) => {
    const proxy = new CapturingProxy(hub.url);
    const url = await proxy.start();
    try {
      const d = agentDirs(url, {}, { archive });
      UPSTREAM_PROBLEM_DIRS.forEach((rel, i) => copyProblemDir(upstreamDir(rel), d.abrt, `ccpp-2024-01-02-03:04:05.12345${i}-424${i}`));
      plantedPythonDir(d.abrt);
      plantedCcppDir(d.abrt);
      plantedKdumpDir(d.crash);
      ANACONDA_DUMPS.forEach((f) => anacondaDump(d.tmp, f));
      const agent = startAgent(d.config, ['crashes', 'send']);
      expect(await agent.exited).toBe(0);
      expect(proxy.captured).toHaveLength(UPSTREAM_PROBLEM_DIRS.length + 3 + ANACONDA_DUMPS.length);

      for (const c of proxy.captured) {
        const id = reportIdOf(c);
        await hub.settled(id);
        const status = await hub.http.get(`/api/v1/reports/${id}`).set('authorization', `Bearer ${TOKEN}`).expect(200);
        expect({ id, status: status.body.status, reason: status.body.rejectReason }).toEqual({ id, status: 'processed', reason: null });
        const text = wireText(c).toLowerCase();
        for (const secret of [...Object.values(PLANTED), ...ANACONDA_SECRETS, ...UPSTREAM_SECRETS]) expect(text).not.toContain(secret.toLowerCase());
        expect(text).not.toMatch(/\/environ\b|rootpw/);
      }
      const ids = proxy.captured.map(reportIdOf);
      const types: Array<{ problem_type: string; n: number }> = await hub.db.query(
        'SELECT problem_type, count(*)::int AS n FROM crash_report WHERE id = ANY($1) GROUP BY problem_type ORDER BY problem_type',
        [ids],
      );
      const byType = Object.fromEntries(types.map((t) => [t.problem_type, t.n]));
      expect(byType.anaconda).toBe(ANACONDA_DUMPS.length);
      // uReports are stored under their uReport type, archives under the ABRT type.
      expect(byType).toEqual(archive ? { anaconda: 3, CCpp: 5, Python3: 1, vmcore: 1 } : { anaconda: 3, CCpp: 2, core: 3, kerneloops: 1, python: 1 });
      // Every crash carries the host id of the agent's CEP reports.
      const hostId = readFileSync(path.join(d.state, 'host-id'), 'utf8').trim();
      const hosts: Array<{ host_key: string }> = await hub.db.query('SELECT DISTINCT host_key FROM crash_report WHERE id = ANY($1)', [ids]);
      expect(hosts).toEqual([{ host_key: `host:${hostId}` }]);
    } finally {
      await proxy.stop();
    }
  });

  it('a rig-mode agent delivers a new problem directory, processed and labelled, within 5 s', async () => {
    const d = agentDirs(hub.url, { enabled: false, protocol: { type: 'HTTP', hub_url: hub.url } });
    const labels = { CEP_RIG_NAME: 'rig-vz9-07', CEP_TEST_RUN_ID: `run-${Date.now()}`, CEP_BUILD: '9.0.1-42', CEP_TEST_NAME: 'ploop/snapshot-merge' };
    const agent = startAgent(d.config, ['run', '--rig'], { ...labels, CEP_API_TOKEN: TOKEN });
    try {
      await waitFor(async () => (agent.stderr().includes('watching') ? true : undefined), 15_000, 'the agent to watch the dump locations');
      const hostId = readFileSync(path.join(d.state, 'host-id'), 'utf8').trim();
      // As abrtd does: build `<dir>.new`, then rename it.
      const name = 'Python3-2026-11-24-12:00:00.000001-777';
      plantedPythonDir(d.abrt, `${name}.new`);
      const appeared = Date.now();
      renameSync(path.join(d.abrt, `${name}.new`), path.join(d.abrt, name));
      const id = crashReportId(hostId, `abrt:${path.join(d.abrt, name)}`, 1);
      await waitFor(async () => ((await hub.http.get(`/api/v1/reports/${id}`).set('authorization', `Bearer ${TOKEN}`)).body.status === 'processed' ? true : undefined), 5_000, 'the rig crash to be processed');
      const elapsed = Date.now() - appeared;
      expect(elapsed).toBeLessThan(5_000);

      const search = await hub.as('viewer').get('/api/v1/candidates').query({ label: `test_run=${labels.CEP_TEST_RUN_ID}` }).expect(200);
      expect(search.body.items).toHaveLength(1);
      const candidate = await hub.as('viewer').get(`/api/v1/candidates/${search.body.items[0].id}`).expect(200);
      const expected = { rig: labels.CEP_RIG_NAME, test_run: labels.CEP_TEST_RUN_ID, build: labels.CEP_BUILD, test_name: labels.CEP_TEST_NAME };
      for (const [name, value] of Object.entries(expected)) expect(candidate.body.counts.byLabel).toContainEqual({ name, value, reports: 1 });
      expect(candidate.body.reports.find((r: { id: string }) => r.id === id).labels).toEqual(expected);
    } finally {
      agent.child.kill('SIGTERM');
      await agent.exited;
    }
  });

  it('an agent killed mid-send and restarted neither loses nor duplicates a crash', async () => {
    const proxy = new CapturingProxy(hub.url);
    const url = await proxy.start();
    try {
      const d = agentDirs(url);
      plantedPythonDir(d.abrt, 'Python3-2026-11-24-13:00:00.000001-888');
      anacondaDump(d.tmp, ANACONDA_DUMPS[2]);
      proxy.mode = 'hold';
      const first = startAgent(d.config, ['crashes', 'send']);
      // The first report reached the hub and was stored; its answer is lost with the process.
      await waitFor(async () => (proxy.captured.length === 1 ? true : undefined), 15_000, 'the first crash to be in flight');
      const inFlight = reportIdOf(proxy.captured[0]);
      await hub.settled(inFlight);
      first.child.kill('SIGKILL');
      await first.exited;

      proxy.mode = 'pass';
      const second = startAgent(d.config, ['crashes', 'send']);
      expect(await second.exited).toBe(0);
      const ids = [...new Set(proxy.captured.map(reportIdOf))];
      expect(ids).toHaveLength(2);
      expect(proxy.captured.map(reportIdOf).filter((i) => i === inFlight)).toHaveLength(2);
      for (const id of ids) await hub.settled(id);
      const rows: Array<{ id: string; candidate_id: string }> = await hub.db.query('SELECT id, candidate_id FROM crash_report WHERE id = ANY($1)', [ids]);
      expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
      for (const row of rows) {
        const candidate = await hub.as('viewer').get(`/api/v1/candidates/${row.candidate_id}`).expect(200);
        expect(candidate.body.reports.filter((r: { id: string }) => r.id === row.id)).toHaveLength(1);
      }
      // A third run finds nothing new.
      const third = startAgent(d.config, ['crashes', 'send']);
      expect(await third.exited).toBe(0);
      expect([...new Set(proxy.captured.map(reportIdOf))]).toHaveLength(2);
    } finally {
      await proxy.stop();
    }
  });
});
