import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { compress, craftTar } from '../support/archive-builder';
import { agentInstallation } from '../support/agent-config';
import { startTestHub, TestHub } from '../support/test-hub';

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', 'dist', 'agent', 'src', 'cli', 'cep-agent.js');

describe('CEP report.tar.gz intake (hub side of the agent)', () => {
  let hub: TestHub;
  let dir: string;
  let configPath: string;

  beforeAll(async () => {
    hub = await startTestHub('cepintake');
    ({ dir, configPath } = agentInstallation(hub.url, 'cep-agent-e2e-'));
  });
  afterAll(async () => {
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores what the real agent sends from this machine, raw and once', async () => {
    const { stdout } = await run(process.execPath, [CLI, '--config', configPath, 'send', '--only', 'cpu', '--only', 'memory']);
    expect(stdout).toMatch(/sent 1 report\(s\); 0 left in the spool/);
    const rows = await hub.db.query(`SELECT id, kind, status, host_id, payload FROM raw_report WHERE kind = 'cep'`);
    expect(rows).toHaveLength(1);
    // The worker runs in the same process and may already have processed it.
    expect(['queued', 'processed']).toContain(rows[0].status);
    await expect(hub.settled(rows[0].id)).resolves.toMatchObject({ status: 'processed' });
    const records = await hub.db.query('SELECT collector, outcome FROM host_collector_record WHERE host_id = $1 ORDER BY collector', [rows[0].host_id]);
    expect(records).toEqual([
      { collector: 'cpu', outcome: 'valid' },
      { collector: 'memory', outcome: 'valid' },
    ]);
    const { stdout: status } = await run(process.execPath, [CLI, '--config', configPath, 'status']);
    expect(status).toContain(rows[0].host_id);

    // The stored bytes are the agent's tarball: a retry of the same bytes is recognised, not stored twice.
    const retry = await hub.http
      .post('/api/v1/cep-reports')
      .set('content-type', 'application/gzip')
      .set('x-report-id', rows[0].id)
      .send(rows[0].payload)
      .expect(202);
    expect(retry.body).toEqual({ id: rows[0].id, status: 'stored', duplicate: true, hostIdShared: false });
    expect((await hub.db.query(`SELECT count(*)::int AS n FROM raw_report WHERE kind = 'cep'`))[0].n).toBe(1);
  });

  const manifest = (overrides: Record<string, unknown> = {}) =>
    JSON.stringify({
      schemaVersion: 1,
      agentVersion: '0.1.0',
      hostId: '7d4c6b0e-2f53-4c55-9a53-1b8f0e7f8a10',
      reportId: '0f9e2d7c-5b1a-4d3e-8c6f-2a1b3c4d5e6f',
      createdAt: '2026-11-24T10:00:00.000Z',
      collectors: [{ name: 'cpu', version: 1, status: 'ok', durationMs: 3, collectedAt: '2026-11-24T10:00:00.000Z', file: 'cpu.json' }],
      ...overrides,
    });
  const send = (body: Buffer, headers: Record<string, string> = {}) =>
    hub.http.post('/api/v1/cep-reports').set({ 'content-type': 'application/gzip', ...headers }).send(body);

  it.each([
    ['no manifest', () => gzipSync(craftTar([{ name: 'cpu.json', body: '{}' }])), {}, 400, /no manifest\.json/],
    ['manifest not JSON', () => gzipSync(craftTar([{ name: 'manifest.json', body: '{' }])), {}, 400, /not valid JSON/],
    ['manifest missing hostId', () => gzipSync(craftTar([{ name: 'manifest.json', body: manifest({ hostId: undefined }) }, { name: 'cpu.json', body: '{}' }])), {}, 400, /hostId/],
    ['collector file missing', () => gzipSync(craftTar([{ name: 'manifest.json', body: manifest() }])), {}, 400, /lacks collector files: cpu\.json/],
    ['header disagrees with manifest', () => gzipSync(craftTar([{ name: 'manifest.json', body: manifest() }, { name: 'cpu.json', body: '{}' }])), { 'x-report-id': '11111111-1111-4111-8111-111111111111' }, 400, /X-Report-Id/],
    ['symlink inside', () => compress(craftTar([{ name: 'manifest.json', type: 'symlink', linkname: '/etc/passwd' }]), 'gz'), {}, 400, /link-entry/],
    ['truncated', () => gzipSync(craftTar([{ name: 'manifest.json', body: manifest() }, { name: 'cpu.json', body: 'x'.repeat(40_000) }])).subarray(0, 200), {}, 400, /truncated|corrupt/],
  ] as const)('refuses %s and stores nothing', async (_name, build, headers, status, message) => {
    const before = await hub.snapshot();
    const res = await send(build(), headers);
    expect(res.status).toBe(status);
    expect(res.body.message).toMatch(message);
    expect(await hub.snapshot()).toEqual(before);
  });
});
