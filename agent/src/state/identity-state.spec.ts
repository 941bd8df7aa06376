import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { erasureKeyHash, loadOrCreateErasureKey, readErasureKey } from './erasure-key';
import { loadOrCreateIdentity, readHostId, resetIdentity } from './host-identity';
import { nextReportSequence, readReportSequence } from './report-sequence';

const HEX64 = /^[0-9a-f]{64}$/;
const stateDir = () => path.join(mkdtempSync(path.join(tmpdir(), 'cep-state-')), 'state');

describe('erasure key', () => {
  it('is 32 random bytes in hex, in a file only its owner can read, and reused once made', async () => {
    const dir = stateDir();
    const key = await loadOrCreateErasureKey(dir);
    expect(key).toMatch(HEX64);
    expect(readFileSync(path.join(dir, 'erasure-key'), 'utf8')).toBe(`${key}\n`);
    expect(statSync(path.join(dir, 'erasure-key')).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateErasureKey(dir)).toBe(key);
    expect(await loadOrCreateErasureKey(stateDir())).not.toBe(key);
  });

  it('a corrupt key file is replaced, not used', async () => {
    const dir = stateDir();
    const key = await loadOrCreateErasureKey(dir);
    writeFileSync(path.join(dir, 'erasure-key'), key.slice(0, 40));
    expect(await readErasureKey(dir)).toBeUndefined();
    const fresh = await loadOrCreateErasureKey(dir);
    expect(fresh).toMatch(HEX64);
    expect(fresh).not.toBe(key);
    expect(statSync(path.join(dir, 'erasure-key')).mode & 0o777).toBe(0o600);
  });

  it('hash is sha256 in hex', () => {
    expect(erasureKeyHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('host identity', () => {
  it('is made once, id and key together, and reused', async () => {
    const dir = stateDir();
    const first = await loadOrCreateIdentity(dir);
    expect(first.erasureKey).toBe(await readErasureKey(dir));
    expect(first.hostId).toBe(await readHostId(dir));
    expect(await loadOrCreateIdentity(dir)).toEqual(first);
  });

  it('reset replaces the id and the key, so a clone keeping the copied key cannot erase the original', async () => {
    const dir = stateDir();
    const before = await loadOrCreateIdentity(dir);
    const after = await resetIdentity(dir);
    expect(after.hostId).not.toBe(before.hostId);
    expect(after.erasureKey).not.toBe(before.erasureKey);
    expect(await loadOrCreateIdentity(dir)).toEqual(after);
  });

  it('an id from an agent without erasure keys is kept and gets a key', async () => {
    const dir = stateDir();
    const { hostId } = await loadOrCreateIdentity(dir);
    writeFileSync(path.join(dir, 'erasure-key'), '');
    const upgraded = await loadOrCreateIdentity(dir);
    expect(upgraded.hostId).toBe(hostId);
    expect(upgraded.erasureKey).toMatch(HEX64);
  });
});

describe('report sequence', () => {
  const A = '5b3c1f7e-2d4a-4c6b-9e8f-1a2b3c4d5e6f';
  const B = '9d2e4a1b-7c3f-4e5d-8a6b-0c1d2e3f4a5b';

  it('counts from 1, persisted, per host id', async () => {
    const dir = stateDir();
    expect(await readReportSequence(dir, A)).toBe(0);
    expect([await nextReportSequence(dir, A), await nextReportSequence(dir, A), await nextReportSequence(dir, A)]).toEqual([1, 2, 3]);
    expect(await readReportSequence(dir, A)).toBe(3);
    // A new id does not continue the old one's numbers, which would link the two.
    expect(await nextReportSequence(dir, B)).toBe(1);
  });

  it('a corrupt file counts as none built', async () => {
    const dir = stateDir();
    await nextReportSequence(dir, A);
    writeFileSync(path.join(dir, 'report-sequence.json'), '{"hostId":');
    expect(await readReportSequence(dir, A)).toBe(0);
  });
});
