import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { CrashesConfig } from './crash-config';
import type { ProblemLocation } from './problem-location';

/** libreport creates `<type>-<date>-<pid>.new` and renames it when complete. */
const IN_PROGRESS_SUFFIX = '.new';
const ANACONDA_PREFIX = 'anaconda-tb-';
/** kdump writes these while the dump is still being saved. */
const KDUMP_INCOMPLETE = ['vmcore-incomplete', 'vmcore-dmesg-incomplete.txt'];

async function entries(dir: string): Promise<Array<{ name: string; isDir: boolean; isFile: boolean }>> {
  const list = await fsp.readdir(dir, { withFileTypes: true }).catch(() => []);
  return list.map((d) => ({ name: d.name, isDir: d.isDirectory(), isFile: d.isFile() }));
}

const exists = (file: string) =>
  fsp.stat(file).then(
    () => true,
    () => false,
  );

/**
 * ABRT directories are complete once abrtd has written `count` (abrtd.c treats a directory without it
 * as not reportable); `.new` ones are still being written.
 */
async function isCompleteAbrtDir(dir: string): Promise<boolean> {
  return !dir.endsWith(IN_PROGRESS_SUFFIX) && (await exists(path.join(dir, 'count'))) && (await exists(path.join(dir, 'type')));
}

/** Every complete problem under the configured roots, in a stable order. Missing roots are skipped. */
export async function discoverProblems(config: CrashesConfig): Promise<ProblemLocation[]> {
  const found: ProblemLocation[] = [];
  for (const root of config.abrt_roots) {
    for (const e of await entries(root)) {
      const dir = path.join(root, e.name);
      if (e.isDir && !e.name.startsWith('.') && (await isCompleteAbrtDir(dir))) found.push({ kind: 'abrt', path: dir });
    }
  }
  for (const root of config.anaconda_roots) {
    for (const e of await entries(root)) {
      if (!e.name.startsWith(ANACONDA_PREFIX)) continue;
      const target = path.join(root, e.name);
      // /tmp/anaconda-tb-all.log is the all-threads log, not a dump.
      if (e.isFile && !e.name.endsWith('.log')) found.push({ kind: 'anaconda', path: target });
      // python-meh may also save through libreport into a problem directory.
      else if (e.isDir && (await isCompleteAbrtDir(target))) found.push({ kind: 'abrt', path: target });
    }
  }
  for (const root of config.kdump_roots) {
    for (const e of await entries(root)) {
      const dir = path.join(root, e.name);
      if (!e.isDir || !(await exists(path.join(dir, 'vmcore-dmesg.txt')))) continue;
      if ((await Promise.all(KDUMP_INCOMPLETE.map((f) => exists(path.join(dir, f))))).some(Boolean)) continue;
      found.push({ kind: 'kdump', path: dir });
    }
  }
  return found.sort((a, b) => a.path.localeCompare(b.path));
}
