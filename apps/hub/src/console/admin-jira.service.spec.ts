import { DataSource } from 'typeorm';
import { FakeJira } from '../../../../test/support/fake-jira';
import { createTestDatabase, TestDatabase } from '../../../../test/support/test-database';
import { loadHubConfig } from '../../../../libs/config/src';
import { hubDataSourceOptions } from '../../../../libs/storage/src/database-options';
import { AuditEventRepository } from '../access/audit-event.repository';
import { AuditTrail } from '../access/audit-trail.service';
import type { Principal } from '../access/principal';
import { JiraConnectionService } from '../qa/jira-connection.service';
import { AdminJiraService, JIRA_CHECK_ACTION } from './admin-jira.service';

const root: Principal = { kind: 'person', id: 'u-root', name: 'root', role: 'admin', sessionId: 's1', csrfToken: 'c1' };

/** The admin page's Jira part on real PostgreSQL and the fake Jira (no HTTP layer of the hub). */
describe('AdminJiraService (real database, fake Jira)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const jira = new FakeJira({ token: 'very-secret-pat' });

  beforeAll(async () => {
    await jira.start();
    db = await createTestDatabase('admin_jira');
    ds = new DataSource(hubDataSourceOptions(db.url, 2));
    await ds.initialize();
    await ds.runMigrations();
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
    await jira.stop();
  });

  const service = (env: Record<string, string>) => {
    const events = new AuditEventRepository(ds);
    return new AdminJiraService(new JiraConnectionService(loadHubConfig(env)), new AuditTrail(events), events);
  };

  it('shows the settings without the secret, records each test, and reads the latest back', async () => {
    const admin = service({ JIRA_URL: `${jira.url}/`, JIRA_TOKEN: 'very-secret-pat', JIRA_PROJECT: 'OVZ' });
    const settings = admin.settings();
    expect(settings).toMatchObject({ url: jira.url, project: 'OVZ', auth: 'token' });
    expect(JSON.stringify(settings)).not.toContain('very-secret-pat');
    expect(await admin.lastCheck()).toBeNull();

    await expect(admin.check(root)).resolves.toBe(true);
    const ok = await admin.lastCheck();
    expect(ok).toMatchObject({ ok: true, by: 'root', problems: [], user: 'crashhub', server: { version: jira.version }, project: { key: 'OVZ' } });

    jira.failNext(1, 401, undefined, /^GET \/rest\/api\/2\/myself/, { errorMessages: ['You are not authenticated.'], errors: {} });
    await expect(admin.check(root)).resolves.toBe(false);
    const failed = await admin.lastCheck();
    expect(failed?.ok).toBe(false);
    expect(failed?.problems.join(' ')).toContain('You are not authenticated.');
    const rows: Array<{ actor_name: string; target_type: string; after: string }> = await ds.query(
      'SELECT actor_name, target_type, after::text AS after FROM audit_event WHERE action = $1 ORDER BY id',
      [JIRA_CHECK_ACTION],
    );
    expect(rows.map((r) => [r.actor_name, r.target_type])).toEqual([['root', 'jira'], ['root', 'jira']]);
    expect(rows.map((r) => r.after).join()).not.toContain('very-secret-pat');
  });

  it('without Jira configured: no settings, and a test says what is missing', async () => {
    const admin = service({});
    expect(admin.settings()).toBeNull();
    await expect(admin.check(root)).resolves.toBe(false);
    expect((await admin.lastCheck())?.problems).toEqual(['JIRA_URL is not set']);
  });
});
