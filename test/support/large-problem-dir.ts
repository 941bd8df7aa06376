import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { craftTar } from './archive-builder';
import { repositoryRoot } from './processes';

/** satyr's sample problem directory (provenance in test/fixtures/upstream), with its core_backtrace. */
export const SATYR_PROBLEM_DIR = join(repositoryRoot(), 'test', 'fixtures', 'upstream', 'satyr', 'tests', 'problem_dir');
const CHUNK = 1024 * 1024;

/** A tar header of a regular file of `size` bytes (craftTar's header, without the body). */
function fileHeader(name: string, size: number): Buffer {
  return craftTar([{ name, declaredSize: size }], { endMarker: false }).subarray(0, 512);
}

/**
 * A reporter-upload style .tar.gz of satyr's problem directory plus a `coredump` of `coreBytes`
 * incompressible bytes, generated as it is read: the test never holds the core in memory.
 * gzip level 0 keeps the client's CPU out of the measurement (the core would not compress anyway).
 */
export function largeProblemDirStream(coreBytes: number, dirName = 'ccpp-2024-05-06-07:08:09.101112-4242'): Readable {
  const elements = readdirSync(SATYR_PROBLEM_DIR).map((name) => ({ name: `${dirName}/${name}`, body: readFileSync(join(SATYR_PROBLEM_DIR, name)) }));
  const block = randomBytes(CHUNK);
  async function* tar(): AsyncGenerator<Buffer> {
    yield craftTar(elements, { endMarker: false });
    yield fileHeader(`${dirName}/coredump`, coreBytes);
    for (let left = coreBytes; left > 0; left -= CHUNK) yield left >= CHUNK ? block : block.subarray(0, left);
    yield Buffer.alloc((512 - (coreBytes % 512)) % 512);
    yield Buffer.alloc(1024);
  }
  return Readable.from(tar()).pipe(createGzip({ level: 0 }));
}

/** Streams `body` to `url` with PUT (as `curl -T` does for reporter-upload); resolves with status and JSON answer. */
export async function putStream(url: string, body: Readable, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  let answer!: Promise<{ status: number; body: Record<string, unknown> }>;
  const req = request(url, { method: 'PUT', headers: { 'content-type': 'application/gzip', ...headers } });
  const answered = new Promise<void>((resolve, reject) => {
    req.on('response', (res) => {
      answer = (async () => {
        let text = '';
        for await (const chunk of res) text += chunk;
        return { status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} };
      })();
      resolve();
    });
    req.on('error', reject);
  });
  await pipeline(body, req);
  await answered;
  return answer;
}

/** Peak resident set size of a process so far (VmHWM), in bytes. */
export function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmHWM:\s+(\d+) kB/.exec(status);
  if (!kb) throw new Error(`no VmHWM for process ${pid}`);
  return Number(kb[1]) * 1024;
}
