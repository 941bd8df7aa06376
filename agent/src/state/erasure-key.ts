import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from './atomic-write';

const ERASURE_KEY_FILE = 'erasure-key';
const KEY = /^[0-9a-f]{64}$/;

export function erasureKeyPath(stateDir: string): string {
  return path.join(stateDir, ERASURE_KEY_FILE);
}

/** The key, or undefined when the file is missing or corrupt. */
export async function readErasureKey(stateDir: string): Promise<string | undefined> {
  const existing = (await fsp.readFile(erasureKeyPath(stateDir), 'utf8').catch(() => '')).trim();
  return KEY.test(existing) ? existing : undefined;
}

/**
 * The secret that entitles this host to have the hub erase what it holds about it. Only its hash
 * leaves the host (in every report), so the hub can check the key without being able to forge it.
 */
export async function loadOrCreateErasureKey(stateDir: string): Promise<string> {
  return (await readErasureKey(stateDir)) ?? resetErasureKey(stateDir);
}

export async function resetErasureKey(stateDir: string): Promise<string> {
  const key = randomBytes(32).toString('hex');
  await writeFileAtomic(erasureKeyPath(stateDir), `${key}\n`, 0o600);
  return key;
}

export function erasureKeyHash(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
