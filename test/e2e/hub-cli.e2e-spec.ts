import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startTestHub, TestHub } from '../support/test-hub';

const CLI = join(__dirname, '..', '..', 'dist', 'apps', 'hub', 'src', 'cli', 'hub.js');

describe('hub users / hub rig-keys (the built CLI on the hub database)', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub('hubcli');
  });
  afterAll(async () => hub?.close());

  function cli(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, DATABASE_URL: hub.database.url, LOG_LEVEL: 'error' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
      child.stdin.end(stdin);
    });
  }

  /** Signs in through the page and reports the answer's status. */
  async function signInStatus(username: string, password: string): Promise<number> {
    const page = await hub.http.get('/sign-in').expect(200);
    const csrf = /name="_csrf" value="([^"]*)"/.exec(page.text)![1];
    const cookie = ([] as string[]).concat(page.headers['set-cookie'] ?? []).find((c) => c.startsWith('hub_sign_in='))!.split(';')[0];
    return (await hub.http.post('/sign-in').set('cookie', cookie).type('form').send({ username, password, _csrf: csrf }).redirects(0)).status;
  }

  it('adds a person with a one-time password, lists, disables, re-enables and resets them; every step audited', async () => {
    const added = await cli(['users', 'add', 'quinn', '--role', 'qa', '--name', 'Quinn QA']);
    expect(added.code).toBe(0);
    const password = /one-time password \(not shown again\): (\S+)/.exec(added.stdout)![1];
    expect(await signInStatus('quinn', password)).toBe(303);

    const listed = await cli(['users', 'list']);
    expect(listed.stdout).toMatch(/^quinn\tqa\tenabled\tlocal\tQuinn QA$/m);
    expect(listed.stdout).not.toMatch(/argon2/);

    expect((await cli(['users', 'disable', 'quinn'])).code).toBe(0);
    expect(await signInStatus('quinn', password)).toBe(401);
    expect((await cli(['users', 'enable', 'quinn'])).code).toBe(0);

    const reset = await cli(['users', 'reset-password', 'quinn', '--password-stdin'], 'a-chosen-password-42\n');
    expect(reset.code).toBe(0);
    expect(reset.stdout).not.toMatch(/one-time password/);
    expect(await signInStatus('quinn', password)).toBe(401);
    expect(await signInStatus('quinn', 'a-chosen-password-42')).toBe(303);

    const events = (await hub.as('admin').get('/api/v1/audit').query({ targetType: 'user', actorKind: 'system' }).expect(200)).body.events;
    const mine = events.filter((e: { after: { username?: string } }) => e.after?.username === 'quinn');
    expect(mine.map((e: { action: string }) => e.action)).toEqual(['user.reset-password', 'user.enable', 'user.disable', 'user.add']);
    expect(mine[0].actorName).toMatch(/^cli:/);
  });

  it('makes and revokes rig keys; bad usage exits 2 naming the problem', async () => {
    const made = await cli(['rig-keys', 'add', 'rig-cli', '--label', 'build=b7', '--label', 'test_run=r1']);
    expect(made.code).toBe(0);
    const key = /the key \(not shown again\): (hub_rig_\S+)/.exec(made.stdout)![1];
    const id = /rig key (\S+) for rig-cli/.exec(made.stdout)![1];
    expect((await cli(['rig-keys', 'list'])).stdout).toContain(`${id}\trig-cli\t`);
    await hub.http.post('/api/v1/crash-reports').set('authorization', `Bearer ${key}`).send({}).expect(400);
    expect((await cli(['rig-keys', 'revoke', id])).code).toBe(0);
    await hub.http.post('/api/v1/crash-reports').set('authorization', `Bearer ${key}`).send({}).expect(401);

    const bad = await cli(['users', 'add', 'x', '--role', 'emperor']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--role: one of viewer, developer, qa, admin/);
    const dup = await cli(['users', 'add', 'quinn', '--role', 'qa']);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/user quinn exists/);
  });
});
