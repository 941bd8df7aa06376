import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A cep-agent installation in a temp dir sending to `hubUrl`; returns the dir and its config file. */
export function agentInstallation(hubUrl: string, prefix: string): { dir: string; configPath: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const configPath = join(dir, 'disp_helper.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      enabled: true,
      protocol: { type: 'HTTP', hub_url: hubUrl },
      output_dir: join(dir, 'output'),
      spool_dir: join(dir, 'spool'),
      state_dir: join(dir, 'state'),
      scripts_dir: join(dir, 'scripts'),
      retry_initial: '1s',
    }),
  );
  return { dir, configPath };
}
