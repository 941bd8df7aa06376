import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plantedPythonDir } from '../../agent/test/crash-fixtures.helper';
import { parseAgentConfig } from '../../agent/src/config/agent-config';
import { crashesCommand } from '../../agent/src/crashes/crashes-command';
import { AgentRuntime } from '../../agent/src/runtime/agent-runtime';
import { FaultyProxy } from '../support/faulty-proxy';
import { startTestHub, TestHub } from '../support/test-hub';

describe('agent spool: an evicted crash is delivered later, and never listed as sent before the hub has it', () => {
  let hub: TestHub;
  let proxy: FaultyProxy;
  beforeAll(async () => {
    hub = await startTestHub('agent_spool');
    proxy = await FaultyProxy.start(hub.url, [], 'refuse');
  });
  afterAll(async () => {
    await proxy.close();
    await hub.close();
  });

  function installation(spoolMax: number) {
    const dir = mkdtempSync(join(tmpdir(), 'cep-spool-'));
    const abrt = join(dir, 'abrt');
    mkdirSync(abrt);
    const config = parseAgentConfig({
      enabled: true,
      protocol: { type: 'HTTP', hub_url: proxy.url },
      output_dir: join(dir, 'output'),
      spool_dir: join(dir, 'spool'),
      state_dir: join(dir, 'state'),
      scripts_dir: join(dir, 'scripts'),
      spool_max_reports: spoolMax,
      retry_initial: '1s',
      crashes: { enabled: true, abrt_roots: [abrt], anaconda_roots: [], kdump_roots: [], packages: ['*'], process_unpackaged: true },
    });
    const logs: string[] = [];
    return { abrt, config, logs, runtime: AgentRuntime.create(config, { log: (m) => logs.push(m) }) };
  }

  async function list(runtime: AgentRuntime): Promise<Map<string, string>> {
    const lines: string[] = [];
    await crashesCommand(runtime, 'list', undefined, (l) => lines.push(l), () => undefined);
    return new Map(lines.map((l) => [l.split(' ').pop()!.split('/').pop()!, l.split(/\s+/)[0]]));
  }

  /** Occurrences the hub counted for the host, once every report it stored is processed. */
  async function storedOccurrences(hostId: string): Promise<number> {
    for (const r of await hub.db.query('SELECT id FROM raw_report WHERE host_id = $1', [hostId])) await hub.settled(r.id);
    const [row] = await hub.db.query('SELECT COALESCE(SUM(occurrences), 0)::int AS n FROM crash_report WHERE host_id = $1', [hostId]);
    return row.n;
  }

  it('with the hub away, a crash pushed out of the full spool stays pending and is rebuilt and delivered once the hub is back', async () => {
    proxy.fallback = 'refuse';
    const { abrt, logs, runtime: made } = installation(2);
    const runtime = await made;
    plantedPythonDir(abrt, 'python-a', 1);
    plantedPythonDir(abrt, 'python-b', 2);
    plantedPythonDir(abrt, 'python-c', 3);
    const reporter = runtime.crashReporter();
    expect(await reporter.collect()).toHaveLength(3);
    // The cap of 2 pushed one crash out; the hub (503) took nothing.
    expect(await runtime.spool.list()).toHaveLength(2);
    expect(logs.some((l) => /spool full .* dropped oldest/.test(l))).toBe(true);
    const whileDown = await list(runtime);
    expect([...whileDown.values()].sort()).toEqual(['evicted', 'spooled', 'spooled']);
    expect([...whileDown.values()]).not.toContain('sent');

    // Delivery fails while the hub is away: still nothing listed as sent.
    const failed = await runtime.deliver({ maxFailures: 1 });
    expect(failed.sent).toEqual([]);
    expect([...(await list(runtime)).values()]).not.toContain('sent');

    proxy.fallback = 'forward';
    const again = await reporter.collect();
    expect(again).toHaveLength(1);
    const result = await runtime.deliver({ maxFailures: 3 });
    expect(result.remaining).toBe(0);
    expect([...(await list(runtime)).values()]).toEqual(['sent', 'sent', 'sent']);
    // Each crash once, with all its occurrences (1 + 2 + 3).
    const rows = await hub.db.query('SELECT id FROM raw_report WHERE host_id = $1', [runtime.hostId]);
    expect(rows).toHaveLength(3);
    expect(await storedOccurrences(runtime.hostId)).toBe(6);
    for (const r of rows) expect((await hub.settled(r.id)).status).toBe('processed');
    expect(await reporter.collect()).toEqual([]);
  });

  it('with the hub reachable, a full spool is delivered before a new crash is spooled: nothing deliverable is evicted', async () => {
    proxy.fallback = 'refuse';
    const { abrt, logs, runtime: made } = installation(2);
    const runtime = await made;
    plantedPythonDir(abrt, 'python-a', 1);
    plantedPythonDir(abrt, 'python-b', 1);
    const reporter = runtime.crashReporter();
    await reporter.collect();
    expect(await runtime.spool.list()).toHaveLength(2);
    proxy.fallback = 'forward';
    plantedPythonDir(abrt, 'python-c', 1);
    await reporter.collect();
    expect(logs.some((l) => /dropped oldest/.test(l))).toBe(false);
    expect(await storedOccurrences(runtime.hostId)).toBe(2);
    const states = await list(runtime);
    expect(states.get('python-a')).toBe('sent');
    expect(states.get('python-b')).toBe('sent');
    expect(states.get('python-c')).toBe('spooled');
    await runtime.deliver({ maxFailures: 3 });
    expect(await storedOccurrences(runtime.hostId)).toBe(3);
    expect([...(await list(runtime)).values()]).toEqual(['sent', 'sent', 'sent']);
  });
});
