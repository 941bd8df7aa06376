import { execFile } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { agentInstallation } from '../support/agent-config';
import { startTestHub, TestHub } from '../support/test-hub';

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', 'dist', 'agent', 'src', 'cli', 'cep-agent.js');

interface Installation {
  dir: string;
  configPath: string;
}

/**
 * A golden image: one agent installation that has already reported, copied to a second host with
 * its state dir (host id, erasure key, report sequence) and spool, its config pointing at its own copy.
 */
function cloneOf(image: Installation, hubUrl: string): Installation {
  const copy = agentInstallation(hubUrl, 'cep-agent-clone-');
  for (const sub of ['state', 'spool']) cpSync(join(image.dir, sub), join(copy.dir, sub), { recursive: true });
  const config = JSON.parse(readFileSync(image.configPath, 'utf8'));
  const rebased = JSON.parse(JSON.stringify(config).split(image.dir).join(copy.dir));
  writeFileSync(copy.configPath, JSON.stringify(rebased));
  return copy;
}

const hostIdOf = (i: Installation) => readFileSync(join(i.dir, 'state', 'host-id'), 'utf8').trim();
const keyOf = (i: Installation) => readFileSync(join(i.dir, 'state', 'erasure-key'), 'utf8').trim();

describe('a host cloned from a golden image', () => {
  let hub: TestHub;
  let image: Installation;
  let clone: Installation;

  const send = async (i: Installation) => {
    const { stdout, stderr } = await run(process.execPath, [CLI, '--config', i.configPath, 'send', '--only', 'cpu', '--only', 'memory']);
    expect(stdout).toMatch(/sent 1 report\(s\); 0 left in the spool/);
    // Processed before the next send, as reports a day apart would be.
    const pending: Array<{ id: string }> = await hub.db.query(`SELECT id FROM raw_report WHERE kind = 'cep' AND status = 'queued'`);
    for (const r of pending) await expect(hub.settled(r.id)).resolves.toEqual({ status: 'processed', reject_reason: null });
    return stderr;
  };
  const reportsOf = async (hostId: string): Promise<number> =>
    (await hub.db.query('SELECT count(*)::int AS n FROM cep_report WHERE host_id = $1', [hostId]))[0].n;

  beforeAll(async () => {
    hub = await startTestHub('clonerekey');
    image = agentInstallation(hub.url, 'cep-agent-image-');
  });
  afterAll(async () => {
    await hub.close();
    for (const i of [image, clone]) if (i) rmSync(i.dir, { recursive: true, force: true });
  });

  it('the clone is told at its first report under the shared id and takes an id of its own; the original keeps its id', async () => {
    await send(image);
    const shared = hostIdOf(image);
    clone = cloneOf(image, hub.url);
    expect(hostIdOf(clone)).toBe(shared);
    expect(keyOf(clone)).toBe(keyOf(image));

    // Both now send their next report, numbered alike: the original first, then the clone.
    expect(await send(image)).not.toMatch(/cloned image/);
    const told = await send(clone);
    const own = hostIdOf(clone);
    expect(own).not.toBe(shared);
    expect(told).toContain(`under host id ${shared} (a cloned image?); this host now reports as ${own}`);
    // A new key too, so the clone cannot erase the original's data.
    expect(keyOf(clone)).not.toBe(keyOf(image));
    expect(hostIdOf(image)).toBe(shared);

    // The hub flagged the shared id; from now on each installation reports as itself.
    const [flagged] = await hub.db.query('SELECT clone_signals FROM host WHERE id = $1', [shared]);
    expect(flagged.clone_signals).toEqual([expect.objectContaining({ reason: expect.stringMatching(/sequence 2 seen twice/) })]);
    expect(await send(clone)).not.toMatch(/cloned image/);
    expect(await send(image)).not.toMatch(/cloned image/);
    expect(hostIdOf(image)).toBe(shared);
    expect(hostIdOf(clone)).toBe(own);
    expect(await reportsOf(shared)).toBe(4);
    expect(await reportsOf(own)).toBe(1);
    const [fresh] = await hub.db.query('SELECT clone_signals FROM host WHERE id = $1', [own]);
    expect(fresh.clone_signals).toEqual([]);
  });
});
