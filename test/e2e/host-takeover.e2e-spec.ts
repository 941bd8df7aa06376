import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cepReport, newHostId, sendCepReport } from '../support/cep-report';
import { cpuData } from '../support/fleet-fixtures';
import { startTestHub, TestHub } from '../support/test-hub';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const UREPORT = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'upstream', 'faf', 'tests', 'sample_reports', 'ureport_python'), 'utf8'));

describe('a host cannot be taken over with a key of ones own', () => {
  let hub: TestHub;
  const hostId = newHostId();
  const ownerKey = `owner-${randomUUID()}`;
  const attackerKey = `attacker-${randomUUID()}`;
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

  beforeAll(async () => {
    hub = await startTestHub('takeover');
    const first = await cepReport({ hostId, createdAt: new Date(Date.now() - 60_000), collectors: { cpu: cpuData() }, erasureKey: ownerKey, sequence: 1 });
    expect((await sendCepReport(hub, first)).status).toBe('processed');
    // The host crashed once; its id appears in the candidate only to people with a role.
    const crash = await hub.http
      .post('/api/v1/crash-reports')
      .send({ reportId: randomUUID(), hostId, labels: {}, ureport: UREPORT })
      .expect(202);
    await hub.settled(crash.body.id);
  });
  afterAll(async () => hub?.close());

  it('host ids are not shown to anonymous callers', async () => {
    const [row] = await hub.db.query('SELECT candidate_id FROM crash_report WHERE host_id = $1', [hostId]);
    const anonymous = await hub.http.get(`/api/v1/candidates/${row.candidate_id}`);
    expect(anonymous.status).toBe(401);
    expect(JSON.stringify(anonymous.body)).not.toContain(hostId);
    expect((await hub.http.get('/api/v1/candidates')).status).toBe(401);
  });

  it("the attacker's report is kept as a clone signal, their key opens nothing, the owner's key still works", async () => {
    const attack = await cepReport({ hostId, createdAt: new Date(), collectors: { cpu: cpuData() }, erasureKey: attackerKey, sequence: 2 });
    expect((await sendCepReport(hub, attack)).status).toBe('processed');
    const [host] = await hub.db.query('SELECT erasure_key_hash, clone_signals FROM host WHERE id = $1', [hostId]);
    expect(host.erasure_key_hash).toBe(sha256(ownerKey));
    expect(host.clone_signals).toEqual([expect.objectContaining({ reason: "erasure key differs from the host's", reportId: attack.reportId })]);

    const snapshot = await hub.snapshot();
    const read = await hub.http.get(`/api/v1/hosts/${hostId}`).set(bearer(attackerKey));
    const unknown = await hub.http.get(`/api/v1/hosts/${newHostId()}`).set(bearer(attackerKey));
    // The same answer as for a host that does not exist: no oracle.
    expect(read.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(read.body.message.replace(hostId, 'X')).toBe(unknown.body.message.replace(/[0-9a-f-]{36}/, 'X'));
    await hub.http.delete(`/api/v1/hosts/${hostId}`).set(bearer(attackerKey)).expect(404);
    await hub.http.put(`/api/v1/hosts/${hostId}/erasure-key`).set(bearer(attackerKey)).send({ erasureKeyHash: sha256('mine-now') }).expect(404);
    expect(await hub.snapshot()).toEqual(snapshot);

    const view = await hub.http.get(`/api/v1/hosts/${hostId}`).set(bearer(ownerKey)).expect(200);
    expect(view.body.host.cloneSignals).toHaveLength(1);
    expect(view.body.crashReports).toBe(1);
  });

  it('only the current key rotates the key; afterwards only the new one works', async () => {
    const newKey = `rotated-${randomUUID()}`;
    // Not even an admin stands in for the host's key here.
    await hub.as('admin').put(`/api/v1/hosts/${hostId}/erasure-key`).send({ erasureKeyHash: sha256(newKey) }).expect(404);
    await hub.http.put(`/api/v1/hosts/${hostId}/erasure-key`).set(bearer(ownerKey)).send({ erasureKeyHash: 'not-a-hash' }).expect(400);
    await hub.http.put(`/api/v1/hosts/${hostId}/erasure-key`).set(bearer(ownerKey)).send({ erasureKeyHash: sha256(newKey) }).expect(200);
    await hub.http.get(`/api/v1/hosts/${hostId}`).set(bearer(ownerKey)).expect(404);
    await hub.http.get(`/api/v1/hosts/${hostId}`).set(bearer(newKey)).expect(200);
    const events = (await hub.as('admin').get('/api/v1/audit').query({ action: 'host.rotate-key' }).expect(200)).body.events;
    expect(events).toEqual([expect.objectContaining({ actorKind: 'host-key', targetType: 'host', targetId: `sha256:${sha256(hostId)}` })]);
    expect(JSON.stringify(events)).not.toContain(hostId);

    // The owner erases with the new key; the audit trail keeps the erasure, not the host id.
    await hub.http.delete(`/api/v1/hosts/${hostId}`).set(bearer(newKey)).expect(200);
    const erased = (await hub.as('admin').get('/api/v1/audit').query({ action: 'host.erase' }).expect(200)).body.events;
    expect(erased).toHaveLength(1);
    expect(erased[0].after.deleted.host).toBe(1);
  });

  it('the audit trail refuses changes in the database itself', async () => {
    await expect(hub.db.query(`UPDATE audit_event SET actor_name = 'someone else'`)).rejects.toThrow(/append-only/);
    await expect(hub.db.query('DELETE FROM audit_event')).rejects.toThrow(/append-only/);
    await expect(hub.db.query('TRUNCATE audit_event')).rejects.toThrow(/append-only/);
    expect((await hub.db.query('SELECT count(*)::int AS n FROM audit_event'))[0].n).toBeGreaterThan(0);
  });
});
