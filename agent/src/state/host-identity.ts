import { randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from './atomic-write';
import { loadOrCreateErasureKey, resetErasureKey } from './erasure-key';

const HOST_ID_FILE = 'host-id';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The id and the secret that entitles its holder to the id's erasure on the hub. */
export interface HostIdentity {
  hostId: string;
  erasureKey: string;
}

/** The id, or undefined when the file is missing or corrupt. */
export async function readHostId(stateDir: string): Promise<string | undefined> {
  const existing = (await fsp.readFile(path.join(stateDir, HOST_ID_FILE), 'utf8').catch(() => '')).trim();
  return UUID.test(existing) ? existing : undefined;
}

/**
 * A random UUID made on first run and never derived from hardware, so it identifies an agent
 * installation without identifying the machine or its owner.
 */
export async function loadOrCreateIdentity(stateDir: string): Promise<HostIdentity> {
  // A corrupt id is replaced rather than sent (vzstats did the same with its uuid file).
  const hostId = await readHostId(stateDir);
  if (!hostId) return resetIdentity(stateDir);
  // An id without a key comes from an agent version that had no erasure keys.
  return { hostId, erasureKey: await loadOrCreateErasureKey(stateDir) };
}

/**
 * `cep-agent reset-id`, e.g. after cloning a host from a golden image. The key is replaced too: a
 * clone keeps the copied key, and must not be able to erase the re-keyed original's data.
 */
export async function resetIdentity(stateDir: string): Promise<HostIdentity> {
  // Key first: a crash in between leaves the old id with an unused new key, never a new id with the copied key.
  const erasureKey = await resetErasureKey(stateDir);
  const hostId = randomUUID();
  await writeFileAtomic(path.join(stateDir, HOST_ID_FILE), `${hostId}\n`, 0o644);
  return { hostId, erasureKey };
}
