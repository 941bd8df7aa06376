import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { main } from '../cli/cep-agent';
import { loadAgentConfig } from '../config/agent-config';
import { RecordedCommandRunner } from '../host/command-runner';
import { AgentRuntime } from '../runtime/agent-runtime';
import { erasureKeyHash } from '../state/erasure-key';

interface Answer {
  status: number;
  body?: unknown;
}

/** A stand-in for the hub's host routes: scripted answers per method, every request recorded. */
class HostsHub {
  readonly requests: { method: string; url: string; authorization?: string }[] = [];
  private readonly server = http.createServer((req, res) => {
    this.requests.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization });
    const answer = this.answers[req.method!] ?? { status: 405 };
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  });

  constructor(private readonly answers: Record<string, Answer>) {}

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** An installed agent (consent withdrawn: erasure must not need it) with a CEP report and a crash report spooled. */
async function installedAgent(hubUrl: string) {
  const work = mkdtempSync(path.join(tmpdir(), 'cep-erase-'));
  const file = path.join(work, 'disp_helper.json');
  writeFileSync(
    file,
    JSON.stringify({
      enabled: false,
      host_root: work,
      output_dir: path.join(work, 'output'),
      spool_dir: path.join(work, 'spool'),
      state_dir: path.join(work, 'state'),
      scripts_dir: '/nonexistent',
      http_timeout: '2s',
      protocol: { type: 'HTTP', hub_url: hubUrl },
    }),
  );
  const config = loadAgentConfig(file);
  const runtime = await AgentRuntime.create(config, { runner: new RecordedCommandRunner({}) });
  await runtime.enqueue(await runtime.build([], { record: true }));
  await runtime.spool.enqueue('0b5c1f7e-2d4a-4c6b-9e8f-1a2b3c4d5e6f', Buffer.from('{}'), Date.now(), { kind: 'crash-report' });
  const state = () => ({
    hostId: readFileSync(path.join(config.state_dir, 'host-id'), 'utf8').trim(),
    key: readFileSync(path.join(config.state_dir, 'erasure-key'), 'utf8').trim(),
    spooled: readdirSync(config.spool_dir).length,
  });
  return { file, hostId: runtime.hostId, state, before: state() };
}

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, (t) => out.push(t), (t) => err.push(t));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('cep-agent erase', () => {
  let hub: HostsHub | undefined;
  afterEach(async () => {
    await hub?.stop();
    hub = undefined;
  });

  async function hubAnswering(answers: Record<string, Answer>, prefix = ''): Promise<string> {
    hub = new HostsHub(answers);
    return (await hub.start()) + prefix;
  }

  it('erased and verified: prints the receipt, then a new id and key, and an empty spool', async () => {
    const url = await hubAnswering({ DELETE: { status: 200, body: { hostId: 'HOST', erasedAt: '2026-06-20T10:00:00.000Z', deleted: { cep_reports: 3, host_profiles: 1 } } }, GET: { status: 404 } });
    const agent = await installedAgent(url);
    const { hostId, key } = agent.before;
    // Two reports; the CEP one with its header file (the host id it was built under) beside it.
    expect(agent.before.spooled).toBe(3);

    const result = await cli(['--config', agent.file, 'erase']);
    expect(result).toMatchObject({ code: 0, err: '' });
    const bearer = `Bearer ${key}`;
    expect(hub!.requests).toEqual([
      { method: 'DELETE', url: `/api/v1/hosts/${hostId}`, authorization: bearer },
      { method: 'GET', url: `/api/v1/hosts/${hostId}`, authorization: bearer },
    ]);
    expect(result.out).toContain('erasure receipt from the hub:');
    expect(result.out).toContain('"cep_reports": 3');
    expect(result.out).toContain('"erasedAt": "2026-06-20T10:00:00.000Z"');
    expect(result.out).toContain(`verified: the hub holds nothing about host ${hostId}`);

    const after = agent.state();
    expect(after.hostId).not.toBe(hostId);
    expect(after.hostId).toMatch(/^[0-9a-f-]{36}$/);
    expect(after.key).not.toBe(key);
    expect(after.key).toMatch(/^[0-9a-f]{64}$/);
    expect(after.spooled).toBe(0);
    expect(result.out).toContain(`dropped 2 spooled report(s); new host id ${after.hostId} with a new erasure key`);
  });

  it.each([401, 403])('key not accepted (HTTP %i): exits 1, nothing reset, nothing dropped', async (status) => {
    const agent = await installedAgent(await hubAnswering({ DELETE: { status, body: { message: 'erasure key does not match' } }, GET: { status: 200 } }));
    const result = await cli(['--config', agent.file, 'erase']);
    expect(result.code).toBe(1);
    expect(result.err).toBe(`cep-agent: the hub did not accept the erasure key of host ${agent.hostId} (HTTP ${status}); nothing was erased, the id and key are kept`);
    expect(hub!.requests.map((r) => r.method)).toEqual(['DELETE']);
    expect(hub!.requests[0].authorization).toBe(`Bearer ${agent.before.key}`);
    expect(agent.state()).toEqual(agent.before);
  });

  it('DELETE answers 404: already erased, so the agent starts afresh and exits 0 (hub under a path prefix)', async () => {
    const agent = await installedAgent(await hubAnswering({ DELETE: { status: 404 } }, '/hub'));
    const result = await cli(['--config', agent.file, 'erase']);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toContain(`the hub holds nothing about host ${agent.hostId}: already erased, or it never received a report`);
    expect(hub!.requests).toEqual([{ method: 'DELETE', url: `/hub/api/v1/hosts/${agent.hostId}`, authorization: `Bearer ${agent.before.key}` }]);
    const after = agent.state();
    expect(after.hostId).not.toBe(agent.before.hostId);
    expect(after.key).not.toBe(agent.before.key);
    expect(after.spooled).toBe(0);
  });

  it('the hub still answers for the host after DELETE: verification fails, exits 1, id and key kept for a retry', async () => {
    const agent = await installedAgent(await hubAnswering({ DELETE: { status: 200, body: { hostId: 'x', erasedAt: 'now', deleted: {} } }, GET: { status: 200, body: { hostId: 'x' } } }));
    const result = await cli(['--config', agent.file, 'erase']);
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      `cep-agent: verification failed: GET ${hubUrlOf(agent)}/api/v1/hosts/${agent.hostId} answers HTTP 200, not 404; the id and key are kept so that erase can be run again`,
    );
    expect(result.out).not.toContain('verified');
    expect(hub!.requests.map((r) => [r.method, r.authorization])).toEqual([
      ['DELETE', `Bearer ${agent.before.key}`],
      ['GET', `Bearer ${agent.before.key}`],
    ]);
    expect(agent.state()).toEqual(agent.before);
  });

  it('hub unreachable or failing: exits 1 naming the cause, nothing reset', async () => {
    const closed = await hubAnswering({});
    await hub!.stop();
    hub = undefined;
    const offline = await installedAgent(closed);
    const unreachable = await cli(['--config', offline.file, 'erase']);
    expect(unreachable.code).toBe(1);
    expect(unreachable.err).toMatch(/^cep-agent: cannot reach the hub at http:\/\/127\.0\.0\.1:\d+\/?: .*ECONNREFUSED.*; nothing was erased, the id and key are kept$/);
    expect(offline.state()).toEqual(offline.before);

    const failing = await installedAgent(await hubAnswering({ DELETE: { status: 503, body: { message: 'database unavailable' } } }));
    const busy = await cli(['--config', failing.file, 'erase']);
    expect(busy).toMatchObject({ code: 1, err: 'cep-agent: the hub answered the erasure request with HTTP 503 ({"message":"database unavailable"}); nothing was reset, try again later' });
    expect(failing.state()).toEqual(failing.before);
  });

  it('--dry-run shows the requests (the key only by its hash) and sends and changes nothing', async () => {
    const agent = await installedAgent(await hubAnswering({ DELETE: { status: 200 } }));
    const result = await cli(['--config', agent.file, 'erase', '--dry-run']);
    expect(result).toMatchObject({ code: 0, err: '' });
    const url = `${hubUrlOf(agent)}/api/v1/hosts/${agent.hostId}`;
    expect(result.out.split('\n')).toEqual([
      `DELETE ${url}`,
      expect.stringMatching(new RegExp(`^authorization: Bearer <the key in .*/state/erasure-key, sha256 ${erasureKeyHash(agent.before.key)}>$`)),
      `then GET ${url} with the same authorization, expecting 404`,
      'then a new host id and erasure key, and 2 spooled report(s) dropped',
      'dry run: nothing sent, nothing changed',
    ]);
    expect(result.out).not.toContain(agent.before.key);
    expect(hub!.requests).toEqual([]);
    expect(agent.state()).toEqual(agent.before);
  });

  it('needs a hub, and is in the help', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'cep-erase-'));
    const file = path.join(work, 'disp_helper.json');
    writeFileSync(file, JSON.stringify({ state_dir: path.join(work, 'state'), protocol: { type: 'FILE', path: path.join(work, 'report.tar.gz') } }));
    expect(await cli(['--config', file, 'erase'])).toMatchObject({ code: 1, err: expect.stringContaining('erase needs protocol type HTTP') });
    expect((await cli(['--help'])).out).toContain('erase [--dry-run]');
  });
});

function hubUrlOf(agent: { file: string }): string {
  const protocol = loadAgentConfig(agent.file).protocol;
  return protocol.type === 'HTTP' ? protocol.hub_url.replace(/\/$/, '') : '';
}
