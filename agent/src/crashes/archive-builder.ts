import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { create } from 'tar';
import type { Problem } from './problem-reader';
import type { ProblemScrubber } from './problem-scrubber';

export interface ProblemArchive {
  tarball: Buffer;
  /** Text members as sent, for `crashes preview` and tests. */
  members: Map<string, string>;
}

/** libreport element names are plain file names; anything else is not packed. */
const SAFE_NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * A problem-directory `.tar.gz` as reporter-upload lays it out (one top-level directory), holding
 * only allow-listed, scrubbed elements.
 */
export async function buildProblemArchive(p: Problem, s: ProblemScrubber, options: { includeCoredump: boolean }): Promise<ProblemArchive> {
  const members = new Map<string, string>();
  for (const [name, value] of p.elements) {
    const cleaned = SAFE_NAME.test(name) ? s.element(name, value) : undefined;
    if (cleaned !== undefined) members.set(name, cleaned);
  }
  // kdump names its directories after the client's IP address.
  const top = s.string(p.name).replace(/[^A-Za-z0-9_.:-]/g, '_');
  const work = await fsp.mkdtemp(path.join(tmpdir(), 'cep-crash-'));
  try {
    const dir = path.join(work, top);
    await fsp.mkdir(dir, { mode: 0o700 });
    for (const [name, value] of members) await fsp.writeFile(path.join(dir, name), value, { mode: 0o600 });
    if (options.includeCoredump && p.coredumpPath) await fsp.copyFile(p.coredumpPath, path.join(dir, path.basename(p.coredumpPath)));
    const chunks: Buffer[] = [];
    // portable: no uid/gid/user names of this host in the headers.
    const stream = create({ gzip: true, cwd: work, portable: true }, [top]);
    for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
    return { tarball: Buffer.concat(chunks), members };
  } finally {
    await fsp.rm(work, { recursive: true, force: true });
  }
}
