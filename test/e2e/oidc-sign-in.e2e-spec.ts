import request from 'supertest';
import { startFakeOidcProvider, FakeOidcProvider } from '../support/fake-oidc-provider';
import { freePort } from '../support/processes';
import { startTestHub, TestHub } from '../support/test-hub';

const cookieOf = (res: request.Response, name: string) =>
  ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${name}=`))?.split(';')[0];

describe('single sign-on with OpenID Connect (authorization code + PKCE, real HTTP to a local provider)', () => {
  let hub: TestHub;
  let provider: FakeOidcProvider;
  const client = { id: 'crash-hub', secret: 'crash-hub-client-secret' };

  beforeAll(async () => {
    const port = await freePort();
    const redirectUri = `http://127.0.0.1:${port}/sign-in/oidc/callback`;
    provider = await startFakeOidcProvider({ ...client, redirectUri });
    hub = await startTestHub('oidc', {
      PORT: String(port),
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: client.id,
      OIDC_CLIENT_SECRET: client.secret,
      OIDC_REDIRECT_URL: redirectUri,
      OIDC_ROLE_CLAIM: 'groups',
      OIDC_ROLE_MAP: JSON.stringify({ 'qa-team': 'qa', 'hub-admins': 'admin', devs: 'developer' }),
    });
  });
  afterAll(async () => {
    await hub?.close();
    await provider?.close();
  });

  /** The browser's round trip: hub → provider → hub callback; returns the callback's answer. */
  async function roundTrip(next = '/api/v1/session'): Promise<request.Response> {
    const begin = await hub.http.get('/sign-in/oidc').query({ next }).redirects(0).expect(302);
    const pending = cookieOf(begin, 'hub_oidc')!;
    const authorize = new URL(begin.headers.location);
    expect(authorize.origin).toBe(provider.issuer);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    const back = await fetch(authorize, { redirect: 'manual' });
    expect(back.status).toBe(302);
    const callback = new URL(back.headers.get('location')!);
    return hub.http.get(`${callback.pathname}${callback.search}`).set('cookie', pending).redirects(0);
  }

  it('the sign-in page offers single sign-on', async () => {
    expect((await hub.http.get('/sign-in').expect(200)).text).toContain('href="/sign-in/oidc"');
  });

  it('signs a person in with the role their groups map to, and a session like a local sign-in', async () => {
    provider.nextUser = { sub: 'sub-ann', preferred_username: 'ann', name: 'Ann Tester', groups: ['devs', 'qa-team', 'other'] };
    const done = await roundTrip();
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/api/v1/session');
    expect(provider.tokenRequests.at(-1)).toEqual({ pkce: 'S256-ok', clientAuth: 'basic' });
    const session = cookieOf(done, 'hub_session')!;
    const me = await hub.http.get('/api/v1/session').set('cookie', session).expect(200);
    expect(me.body).toMatchObject({ kind: 'person', name: 'Ann Tester', role: 'qa' });
    const [account] = await hub.db.query('SELECT username, role, password_hash, oidc_subject FROM user_account WHERE oidc_subject = $1', ['sub-ann']);
    expect(account).toEqual({ username: 'ann', role: 'qa', password_hash: null, oidc_subject: 'sub-ann' });
  });

  it('a later sign-in takes the role the provider says now, audited', async () => {
    provider.nextUser = { sub: 'sub-ann', preferred_username: 'ann', name: 'Ann Tester', groups: ['hub-admins'] };
    const done = await roundTrip();
    expect(done.status).toBe(303);
    expect((await hub.http.get('/api/v1/session').set('cookie', cookieOf(done, 'hub_session')!).expect(200)).body.role).toBe('admin');
    expect((await hub.db.query('SELECT count(*)::int AS n FROM user_account WHERE oidc_subject = $1', ['sub-ann']))[0].n).toBe(1);
    const [event] = (await hub.as('admin').get('/api/v1/audit').query({ action: 'user.role' }).expect(200)).body.events;
    expect(event).toMatchObject({ actorKind: 'system', before: { role: 'qa' }, after: { role: 'admin' } });
  });

  it('refuses a person whose groups map to no role, and keeps no account or session for them', async () => {
    provider.nextUser = { sub: 'sub-zed', preferred_username: 'zed', groups: ['marketing'] };
    const sessionsBefore = (await hub.db.query('SELECT count(*)::int AS n FROM user_session'))[0].n;
    const done = await roundTrip();
    expect(done.status).toBe(403);
    expect(done.text).toMatch(/no role in the hub/);
    expect(cookieOf(done, 'hub_session')).toBeUndefined();
    expect((await hub.db.query('SELECT count(*)::int AS n FROM user_account WHERE oidc_subject = $1', ['sub-zed']))[0].n).toBe(0);
    expect((await hub.db.query('SELECT count(*)::int AS n FROM user_session'))[0].n).toBe(sessionsBefore);
  });

  it('a callback without its own attempt (another browser, a replayed code, a forged state) signs no one in', async () => {
    provider.nextUser = { sub: 'sub-ann', preferred_username: 'ann', groups: ['qa-team'] };
    const begin = await hub.http.get('/sign-in/oidc').redirects(0).expect(302);
    const back = await fetch(new URL(begin.headers.location), { redirect: 'manual' });
    const callback = new URL(back.headers.get('location')!);
    // No cookie: the attempt is not this browser's.
    expect((await hub.http.get(`${callback.pathname}${callback.search}`).redirects(0)).status).toBe(400);
    // Someone else's pending attempt with this code: the state does not match.
    const other = cookieOf(await hub.http.get('/sign-in/oidc').redirects(0).expect(302), 'hub_oidc')!;
    const forged = await hub.http.get(`${callback.pathname}${callback.search}`).set('cookie', other).redirects(0);
    expect(forged.status).toBe(401);
    expect(cookieOf(forged, 'hub_session')).toBeUndefined();
  });
});
