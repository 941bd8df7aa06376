import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildHostRoot, ubuntuHostLayout } from '../../test/fixture-host.helper';
import { plantedPythonDir } from '../../test/crash-fixtures.helper';
import { main } from './cep-agent';

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, (t) => out.push(t), (t) => err.push(t));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function writeConfig(extra: Record<string, unknown> = {}): { file: string; work: string } {
  const work = mkdtempSync(path.join(tmpdir(), 'cep-cli-'));
  const file = path.join(work, 'disp_helper.json');
  writeFileSync(
    file,
    JSON.stringify({
      host_root: buildHostRoot(ubuntuHostLayout()),
      output_dir: path.join(work, 'output'),
      spool_dir: path.join(work, 'spool'),
      state_dir: path.join(work, 'state'),
      scripts_dir: '/nonexistent',
      protocol: { type: 'FILE', path: path.join(work, 'cache', 'report.tar.gz') },
      ...extra,
    }),
  );
  return { file, work };
}

describe('cep-agent CLI', () => {
  it('bad config: exits 78 with the key named', async () => {
    const { file } = writeConfig({ report_period: '15x' });
    expect(await cli(['--config', file, 'status'])).toMatchObject({ code: 78, err: 'config: report_period: invalid duration "15x"' });
  });

  it('collect --only writes the output dir; status shows it and the next slot', async () => {
    const { file, work } = writeConfig();
    const collected = await cli(['--config', file, 'collect', '--only', 'memory,cpu']);
    expect(collected.code).toBe(0);
    expect(collected.out).toMatch(/memory\s+ok/);
    expect(existsSync(path.join(work, 'output', 'memory.json'))).toBe(true);
    const status = JSON.parse((await cli(['--config', file, 'status'])).out) as { collectors: Record<string, { status: string }>; spool: unknown; nextDue: { day: string } };
    expect(status.collectors.memory.status).toBe('ok');
    expect(status.spool).toEqual({ reports: 0, bytes: 0 });
    expect(['mon', 'tue', 'wed', 'thu', 'fri']).toContain(status.nextDue.day);
  });

  it('preview prints the manifest and every member; send honours consent; reset-id changes the id and erasure key', async () => {
    const { file, work } = writeConfig();
    const preview = await cli(['--config', file, 'preview', '--only', 'memory']);
    expect(preview.out).toMatch(/==> manifest.json \(report.tar.gz, \d+ bytes\)/);
    expect(preview.out).toContain('==> memory.json');
    expect(preview.out).toContain('CEP is disabled');
    expect(await cli(['--config', file, 'send'])).toMatchObject({ code: 1, err: expect.stringContaining('disabled') });

    const { file: enabled } = writeConfig({ enabled: true, state_dir: path.join(work, 'state') });
    const sent = await cli(['--config', enabled, 'send', '--only', 'memory']);
    expect(sent).toMatchObject({ code: 0, out: 'sent 1 report(s); 0 left in the spool' });

    const before = JSON.parse((await cli(['--config', file, 'status'])).out).hostId as string;
    const keyFile = path.join(work, 'state', 'erasure-key');
    const keyBefore = readFileSync(keyFile, 'utf8');
    const reset = await cli(['--config', file, 'reset-id']);
    expect(reset.out).toMatch(/^[0-9a-f-]{36}$/);
    expect(reset.out).not.toBe(before);
    expect(JSON.parse((await cli(['--config', file, 'status'])).out).hostId).toBe(reset.out);
    // A clone keeps the copied key; the re-keyed original must not be erasable with it.
    expect(readFileSync(keyFile, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    expect(readFileSync(keyFile, 'utf8')).not.toBe(keyBefore);
  });

  it('crashes list shows found problems; send needs consent and a hub', async () => {
    const abrt = mkdtempSync(path.join(tmpdir(), 'cep-abrt-'));
    plantedPythonDir(abrt, 'Python3-1');
    // ABRT's default: an unpackaged program's crash stays on the host, and the list says why.
    const { file: strict } = writeConfig({ crashes: { abrt_roots: [abrt], anaconda_roots: [], kdump_roots: [] } });
    expect((await cli(['--config', strict, 'crashes', 'list'])).out).toMatch(/^withheld\s+Python3\s+count=1\s+.*Python3-1 {2}not sent: unpackaged program/);
    expect((await cli(['--config', strict, 'crashes', 'preview'])).out).not.toContain('ConnectionRefusedError');
    const crashes = { abrt_roots: [abrt], anaconda_roots: [], kdump_roots: [], process_unpackaged: true };
    const { file } = writeConfig({ crashes });
    expect((await cli(['--config', file, 'crashes', 'list'])).out).toMatch(/^new\s+Python3\s+count=1\s+.*Python3-1$/);
    expect((await cli(['--config', file, 'crashes', 'preview'])).out).toContain('"exception_name": "ConnectionRefusedError"');
    expect(await cli(['--config', file, 'crashes', 'send'])).toMatchObject({ code: 1, err: expect.stringContaining('not in rig mode') });
    const { file: enabled } = writeConfig({ enabled: true, crashes });
    expect(await cli(['--config', enabled, 'crashes', 'send'])).toMatchObject({ code: 1, err: expect.stringContaining('protocol type HTTP') });
    expect((await cli(['--config', file, 'crashes', 'explode'])).code).toBe(2);
  });

  it('rejects unknown commands and collectors', async () => {
    const { file } = writeConfig();
    expect((await cli(['--config', file, 'explode'])).code).toBe(2);
    expect((await cli(['--config', file, 'collect', '--only', 'gpu'])).err).toContain('unknown collector: gpu');
  });
});
