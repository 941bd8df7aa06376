import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FaultyProxy } from '../support/faulty-proxy';
import { startTestHub, TestHub } from '../support/test-hub';

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', 'dist', 'agent', 'src', 'cli', 'cep-agent.js');

/** The real cep-agent CLI (a new process per call, so each call is a restart) and the real hub. */
describe('CEP delivery through a hub that refuses, times out, then recovers', () => {
  let hub: TestHub;
  let proxy: FaultyProxy;
  let dir: string;
  let config: string;

  const agent = async (...args: string[]) => {
    try {
      const { stdout } = await run(process.execPath, [CLI, '--config', config, ...args]);
      return { code: 0, stdout };
    } catch (error) {
      const e = error as { code: number; stdout: string };
      return { code: e.code, stdout: e.stdout };
    }
  };
  const storedCep = async () => (await hub.db.query(`SELECT id FROM raw_report WHERE kind = 'cep' ORDER BY received_at`)).map((r: { id: string }) => r.id);

  beforeAll(async () => {
    hub = await startTestHub('cepdelivery');
    proxy = await FaultyProxy.start(hub.url, []);
    dir = mkdtempSync(join(tmpdir(), 'cep-delivery-'));
    config = join(dir, 'disp_helper.json');
    writeFileSync(
      config,
      JSON.stringify({
        enabled: true,
        protocol: { type: 'HTTP', hub_url: proxy.url },
        output_dir: join(dir, 'output'),
        spool_dir: join(dir, 'spool'),
        state_dir: join(dir, 'state'),
        scripts_dir: join(dir, 'scripts'),
        http_timeout: '1s',
        retry_initial: '1s',
        retry_max: '2s',
      }),
    );
  });
  afterAll(async () => {
    await proxy.close();
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gets every report to the hub exactly once, across refusals, a hang and restarts', async () => {
    // 503 + Retry-After, then a request that never answers, then the hub itself.
    proxy.plan = ['refuse', 'hang'];
    const first = await agent('send', '--only', 'cpu');
    expect(first.stdout).toMatch(/sent 1 report\(s\); 0 left in the spool/);
    expect(proxy.seen.slice(0, 3)).toEqual(['refuse', 'hang', 'forward']);
    expect(await storedCep()).toHaveLength(1);

    // The hub stays away for a whole run: the report waits in the on-disk spool.
    proxy.fallback = 'refuse';
    const offline = await agent('send', '--only', 'memory');
    expect(offline.code).not.toBe(0);
    expect(offline.stdout).toMatch(/1 left in the spool/);
    expect(JSON.parse((await agent('status')).stdout).spool.reports).toBe(1);

    // Recovery, in a new agent process: the spooled report and a new one arrive, nothing twice.
    proxy.fallback = 'forward';
    const recovered = await agent('send', '--only', 'cpu');
    expect(recovered.stdout).toMatch(/sent 2 report\(s\); 0 left in the spool/);
    const ids = await storedCep();
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
    expect(JSON.parse((await agent('status')).stdout).spool).toEqual({ reports: 0, bytes: 0 });
  });
});
