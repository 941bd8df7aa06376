import request from 'supertest';
import { startTestHub, TestHub } from '../support/test-hub';

/** The hidden CSRF field of a page, and the cookies a response set. */
const field = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
const cookies = (res: request.Response): string[] => ([] as string[]).concat(res.headers['set-cookie'] ?? []);
const cookie = (res: request.Response, name: string) => cookies(res).find((c) => c.startsWith(`${name}=`));
const pair = (setCookie: string) => setCookie.split(';')[0];

describe('browser sign-in, sessions and CSRF', () => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await startTestHub('signin', { SESSION_IDLE_MINUTES: '1', SESSION_MAX_HOURS: '1' });
  });
  afterAll(async () => hub?.close());

  /** Signs in through the form as a browser would; returns the session cookie pair. */
  async function signIn(username: string, password: string): Promise<{ session: string; res: request.Response }> {
    const page = await hub.http.get('/sign-in?next=/api/v1/session').expect(200);
    const res = await hub.http
      .post('/sign-in')
      .set('cookie', pair(cookie(page, 'hub_sign_in')!))
      .type('form')
      .send({ username, password, _csrf: field(page.text, '_csrf')!, next: field(page.text, 'next')! })
      .redirects(0);
    const set = cookie(res, 'hub_session');
    return { session: set ? pair(set) : '', res };
  }

  it('serves a plain sign-in page under a strict CSP', async () => {
    const page = await hub.http.get('/sign-in').expect(200);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(page.headers['content-security-policy']).toMatch(/form-action 'self'/);
    expect(page.text).not.toMatch(/<script/i);
    expect(page.text).toMatch(/<label for="password">/);
    expect(cookie(page, 'hub_sign_in')).toMatch(/HttpOnly/i);
  });

  it('signs a person in with a HttpOnly, SameSite=Lax session cookie that reaches their role', async () => {
    const qa = hub.people.qa;
    const { session, res } = await signIn(qa.username, qa.password);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/api/v1/session');
    const set = cookie(res, 'hub_session')!;
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Lax/i);
    // Plain HTTP here, and COOKIE_SECURE=auto: not Secure; behind HTTPS it would be.
    expect(set).not.toMatch(/Secure/i);

    const me = await hub.http.get('/api/v1/session').set('cookie', session).expect(200);
    expect(me.body).toMatchObject({ kind: 'person', id: qa.id, role: 'qa' });
    expect(me.body.csrfToken).toEqual(expect.any(String));
    // The cookie holds a secret; the table only its hash.
    const rows = await hub.db.query('SELECT id FROM user_session WHERE user_id = $1', [qa.id]);
    expect(rows.map((r: { id: string }) => r.id)).not.toContain(session.split('=')[1]);
    await hub.http.get('/api/v1/candidates').set('cookie', session).expect(200);
    await hub.http.get('/api/v1/audit').set('cookie', session).expect(403);
  });

  it('refuses a wrong password, an unknown user and a form without its CSRF cookie, and keeps no session', async () => {
    const before = (await hub.db.query('SELECT count(*)::int AS n FROM user_session'))[0].n;
    const wrong = await signIn(hub.people.viewer.username, 'not-the-password');
    expect(wrong.res.status).toBe(401);
    expect(wrong.res.text).toMatch(/Wrong username or password/);
    expect((await signIn('nobody-here', 'whatever-password')).res.status).toBe(401);
    const page = await hub.http.get('/sign-in').expect(200);
    const forged = await hub.http
      .post('/sign-in')
      .type('form')
      .send({ username: hub.people.viewer.username, password: hub.people.viewer.password, _csrf: field(page.text, '_csrf')! });
    expect(forged.status).toBe(403);
    expect((await hub.db.query('SELECT count(*)::int AS n FROM user_session'))[0].n).toBe(before);
  });

  it('a session write needs the CSRF token; with it the write goes through', async () => {
    const { session } = await signIn(hub.people.admin.username, hub.people.admin.password);
    const csrf = (await hub.http.get('/api/v1/session').set('cookie', session).expect(200)).body.csrfToken;
    const snapshot = await hub.snapshot();
    const refused = await hub.http.post('/api/v1/rig-keys').set('cookie', session).send({ rigName: 'rig-csrf' });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/CSRF/);
    await hub.http.post('/api/v1/rig-keys').set('cookie', session).set('x-csrf-token', 'x'.repeat(csrf.length)).send({ rigName: 'rig-csrf' }).expect(403);
    expect(await hub.snapshot()).toEqual(snapshot);
    const made = await hub.http.post('/api/v1/rig-keys').set('cookie', session).set('x-csrf-token', csrf).send({ rigName: 'rig-csrf' }).expect(201);
    expect(made.body.key).toMatch(/^hub_rig_/);
    const [event] = (await hub.as('admin-token').get('/api/v1/audit').query({ action: 'rig-key.create' }).expect(200)).body.events;
    expect(event).toMatchObject({ actorKind: 'person', actorId: hub.people.admin.id, targetId: made.body.id });
  });

  it('signs out with the form token; the cookie then opens nothing', async () => {
    const { session } = await signIn(hub.people.developer.username, hub.people.developer.password);
    const csrf = (await hub.http.get('/api/v1/session').set('cookie', session).expect(200)).body.csrfToken;
    await hub.http.post('/sign-out').set('cookie', session).type('form').send({}).expect(403);
    const out = await hub.http.post('/sign-out').set('cookie', session).type('form').send({ _csrf: csrf }).redirects(0).expect(303);
    expect(cookie(out, 'hub_session')).toMatch(/Expires=Thu, 01 Jan 1970/);
    await hub.http.get('/api/v1/candidates').set('cookie', session).expect(401);
  });

  it('a session ends after its idle time and at its absolute end', async () => {
    const idle = await signIn(hub.people.viewer.username, hub.people.viewer.password);
    await hub.http.get('/api/v1/session').set('cookie', idle.session).expect(200);
    // SESSION_IDLE_MINUTES=1: two minutes without a request.
    await hub.db.query(`UPDATE user_session SET last_seen_at = now() - interval '2 minutes' WHERE user_id = $1`, [hub.people.viewer.id]);
    await hub.http.get('/api/v1/session').set('cookie', idle.session).expect(401);

    const busy = await signIn(hub.people.viewer.username, hub.people.viewer.password);
    await hub.db.query(`UPDATE user_session SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [hub.people.viewer.id]);
    await hub.http.get('/api/v1/session').set('cookie', busy.session).expect(401);
    expect((await hub.db.query('SELECT count(*)::int AS n FROM user_session WHERE user_id = $1', [hub.people.viewer.id]))[0].n).toBe(0);
  });

  it('returns only to local paths after signing in', async () => {
    const page = await hub.http.get('/sign-in?next=//evil.example/x').expect(200);
    expect(field(page.text, 'next')).toBe('/');
    const res = await hub.http
      .post('/sign-in')
      .set('cookie', pair(cookie(page, 'hub_sign_in')!))
      .type('form')
      .send({ username: hub.people.qa.username, password: hub.people.qa.password, _csrf: field(page.text, '_csrf')!, next: 'https://evil.example/' })
      .redirects(0)
      .expect(303);
    expect(res.headers.location).toBe('/');
  });
});
