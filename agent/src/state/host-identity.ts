import { randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from './atomic-write';

const HOST_ID_FILE = 'host-id';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A random UUID made on first run and never derived from hardware, so it identifies an agent
 * installation without identifying the machine or its owner.
 */
export async function loadOrCreateHostId(stateDir: string): Promise<string> {
  const file = path.join(stateDir, HOST_ID_FILE);
  const existing = (await fsp.readFile(file, 'utf8').catch(() => '')).trim();
  // A corrupt id is replaced rather than sent (vzstats did the same with its uuid file).
  if (UUID.test(existing)) return existing;
  return resetHostId(stateDir);
}

/** `cep-agent reset-id`: e.g. after cloning a host from a golden image. */
export async function resetHostId(stateDir: string): Promise<string> {
  const id = randomUUID();
  await writeFileAtomic(path.join(stateDir, HOST_ID_FILE), `${id}\n`, 0o644);
  return id;
}
