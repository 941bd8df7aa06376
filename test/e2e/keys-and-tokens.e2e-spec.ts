import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AccountsService } from '../../apps/hub/src/access/accounts.service';
import { problemDirArchive } from '../support/problem-dir-archive';
import { startTestHub, TestHub } from '../support/test-hub';

const FIXTURES = join(__dirname, '..', 'fixtures');
// Each its own crash: ABRT gives every problem directory its own uuid.
const python = (fn: string) => ({
  type: 'Python',
  uuid: fn,
  time: '1732440000',
  component: 'python3-rig',
  backtrace: readFileSync(join(FIXTURES, 'upstream/satyr/tests/python_stacktraces/python-04'), 'utf8').replace(/\bmain\b/g, fn),
});

describe('API tokens: shown once, stored hashed, scoped, revocable', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub('tokens');
  });
  afterAll(async () => hub?.close());

  it('a person makes a token once, uses it, sees when it was last used, and revokes it', async () => {
    const made = await hub.as('developer').post('/api/v1/tokens').send({ name: 'ci script', scope: 'developer', expiresInDays: 30 }).expect(201);
    const secret: string = made.body.token;
    expect(secret).toMatch(/^hub_pat_[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(made.body.expiresAt) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    // Stored as a hash only; the list never shows the secret again.
    const [row] = await hub.db.query('SELECT token_hash, token_prefix, last_used_at FROM api_token WHERE id = $1', [made.body.id]);
    expect(row.token_hash).not.toContain(secret.slice(8));
    expect(secret.startsWith(row.token_prefix)).toBe(true);
    expect(row.last_used_at).toBeNull();
    const list = await hub.as('developer').get('/api/v1/tokens').expect(200);
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect(list.body.map((t: { id: string }) => t.id)).toContain(made.body.id);

    await hub.http.get('/api/v1/candidates').set('authorization', `Bearer ${secret}`).expect(200);
    const [used] = await hub.db.query('SELECT last_used_at FROM api_token WHERE id = $1', [made.body.id]);
    expect(used.last_used_at).not.toBeNull();

    // Someone else's token is not there to revoke; its owner revokes it.
    await hub.as('viewer').delete(`/api/v1/tokens/${made.body.id}`).expect(404);
    await hub.as('developer').delete(`/api/v1/tokens/${made.body.id}`).expect(200);
    await hub.http.get('/api/v1/candidates').set('authorization', `Bearer ${secret}`).expect(401);
    const audit = (await hub.as('admin').get('/api/v1/audit').query({ targetType: 'api-token', targetId: made.body.id }).expect(200)).body.events;
    expect(audit.map((e: { action: string }) => e.action)).toEqual(['api-token.revoke', 'api-token.create']);
    expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it('a token is never stronger than its owner, now or later', async () => {
    const snapshot = await hub.snapshot();
    await hub.as('developer').post('/api/v1/tokens').send({ name: 'too strong', scope: 'qa' }).expect(403);
    expect(await hub.snapshot()).toEqual(snapshot);

    // A qa person's viewer-scoped token cannot merge, their qa token can reach the rule.
    const narrow = (await hub.as('qa').post('/api/v1/tokens').send({ name: 'read only', scope: 'viewer' }).expect(201)).body.token;
    const merge = (auth: string) =>
      hub.http.post('/api/v1/candidates/00000000-0000-4000-8000-000000000001/merge').set('authorization', `Bearer ${auth}`).send({ sourceId: '00000000-0000-4000-8000-000000000002' });
    expect((await merge(narrow)).status).toBe(403);
    expect((await merge(hub.people.qa.token)).status).toBe(404);
    // A token cannot mint a stronger one either.
    await hub.http.post('/api/v1/tokens').set('authorization', `Bearer ${narrow}`).send({ name: 'escalate', scope: 'qa' }).expect(403);

    // Demoting the owner demotes their tokens; disabling them ends their tokens.
    const strong = (await hub.as('qa').post('/api/v1/tokens').send({ name: 'qa work', scope: 'qa' }).expect(201)).body.token;
    const accounts = hub.app().get(AccountsService);
    const system = { kind: 'system', name: 'test' } as const;
    await accounts.setRole(system, hub.people.qa.username, 'viewer');
    expect((await merge(strong)).status).toBe(403);
    await accounts.disable(system, hub.people.qa.username);
    await hub.http.get('/api/v1/candidates').set('authorization', `Bearer ${strong}`).expect(401);
  });
});

describe('rig keys: ingest only, labels on every report, Bearer or Basic', () => {
  let hub: TestHub;
  let keysOnly: TestHub;
  beforeAll(async () => {
    hub = await startTestHub('rigkeys');
    keysOnly = await startTestHub('rigkeysonly', { INGEST_MODE: 'keys' });
  });
  afterAll(async () => {
    await hub?.close();
    await keysOnly?.close();
  });

  it('an admin makes a rig key; its reports carry the rig name and default labels; revoked, it is refused', async () => {
    await hub.as('qa').post('/api/v1/rig-keys').send({ rigName: 'rig-9' }).expect(403);
    const made = await hub.as('admin').post('/api/v1/rig-keys').send({ rigName: 'rig-9', labels: { build: 'vz9-2026.12.1', test_run: 'nightly-77' } }).expect(201);
    const key: string = made.body.key;
    expect(key).toMatch(/^hub_rig_/);

    // Stock reporter-upload: PUT with the key as the URL's password (HTTP Basic).
    const put = await hub.http
      .put('/upload/rig-crash.tar.gz')
      .auth('rig-9', key)
      .set('content-type', 'application/gzip')
      .set('x-report-labels', JSON.stringify({ test_run: 'nightly-78', rig: 'pretender' }))
      .send(problemDirArchive(python('rig_basic_fn')))
      .expect(202);
    const bearer = await hub.http
      .post('/api/v1/crash-archives')
      .set('authorization', `Bearer ${key}`)
      .set('content-type', 'application/gzip')
      .send(problemDirArchive(python('rig_bearer_fn')))
      .expect(202);
    expect((await hub.settled(put.body.id)).status).toBe('processed');
    expect((await hub.settled(bearer.body.id)).status).toBe('processed');
    const labels = async (id: string) => (await hub.db.query('SELECT labels FROM crash_report WHERE id = $1', [id]))[0].labels;
    expect(await labels(put.body.id)).toEqual({ rig: 'rig-9', build: 'vz9-2026.12.1', test_run: 'nightly-78' });
    expect(await labels(bearer.body.id)).toEqual({ rig: 'rig-9', build: 'vz9-2026.12.1', test_run: 'nightly-77' });
    // Found by the rig's label like any labelled crash.
    const found = await hub.as('viewer').get('/api/v1/candidates').query({ label: 'rig=rig-9' }).expect(200);
    expect(found.body.items.reduce((n: number, c: { matchedReports: number }) => n + c.matchedReports, 0)).toBe(2);

    // Ingest only: the key reads nothing.
    await hub.http.get('/api/v1/candidates').set('authorization', `Bearer ${key}`).expect(403);

    await hub.as('admin').delete(`/api/v1/rig-keys/${made.body.id}`).expect(200);
    const snapshot = await hub.snapshot();
    await hub.http.put('/upload/late.tar.gz').auth('rig-9', key).set('content-type', 'application/gzip').send(problemDirArchive(python('late_fn'))).expect(401);
    expect(await hub.snapshot()).toEqual(snapshot);
    const actions = (await hub.as('admin').get('/api/v1/audit').query({ targetType: 'rig-key' }).expect(200)).body.events.map((e: { action: string }) => e.action);
    expect(actions).toEqual(['rig-key.revoke', 'rig-key.create']);
  });

  it('with INGEST_MODE=keys only rig keys (and admins) may send; anyone else gets 401 and nothing is stored', async () => {
    const key = (await keysOnly.as('admin').post('/api/v1/rig-keys').send({ rigName: 'rig-k' }).expect(201)).body.key;
    const snapshot = await keysOnly.snapshot();
    const send = () => keysOnly.http.post('/api/v1/crash-archives').set('content-type', 'application/gzip').send(problemDirArchive(python('keys_only_fn')));
    expect((await send()).status).toBe(401);
    expect((await send().set('authorization', `Bearer ${keysOnly.people.qa.token}`)).status).toBe(401);
    expect((await keysOnly.http.post('/reports/new/').send({})).status).toBe(401);
    expect(await keysOnly.snapshot()).toEqual(snapshot);
    const ok = await send().set('authorization', `Bearer ${key}`).expect(202);
    expect((await keysOnly.settled(ok.body.id)).status).toBe('processed');
  });

  it('FAF attachments from anonymous clients are answered as stock clients expect but not kept', async () => {
    const [candidate] = await hub.db.query('SELECT bthash FROM crash_report WHERE bthash IS NOT NULL LIMIT 1');
    const bthash = candidate?.bthash ?? 'a'.repeat(40);
    const before = (await hub.db.query('SELECT count(*)::int AS n FROM report_attachment'))[0].n;
    const phish = await hub.http.post('/reports/attach/').send({ bthash, type: 'url', data: 'https://phish.example/fix' }).expect(202);
    expect(phish.body).toEqual({ result: true, stored: false });
    expect((await hub.db.query('SELECT count(*)::int AS n FROM report_attachment'))[0].n).toBe(before);
    const kept = await hub.as('qa').post('/reports/attach/').send({ bthash, type: 'url', data: 'https://bugs.openvz.org/browse/OVZ-7000' }).expect(202);
    expect(kept.body).toEqual({ result: true, stored: true });
    const [event] = (await hub.as('admin').get('/api/v1/audit').query({ action: 'attachment.create' }).expect(200)).body.events;
    expect(event).toMatchObject({ actorKind: 'token', targetType: 'bthash', targetId: bthash, after: { type: 'url', data: 'https://bugs.openvz.org/browse/OVZ-7000' } });
  });
});
