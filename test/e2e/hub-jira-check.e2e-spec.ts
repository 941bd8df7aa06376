import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FakeJira } from '../support/fake-jira';

const CLI = join(__dirname, '../../dist/apps/hub/src/cli/hub-cli.js');
const run = promisify(execFile);

async function hub(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, 'jira', 'check'], { env: { PATH: process.env.PATH, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('hub jira check (built CLI against a fake Jira)', () => {
  const fakes: FakeJira[] = [];
  afterAll(() => Promise.all(fakes.map((f) => f.stop())));
  async function jira(options: ConstructorParameters<typeof FakeJira>[0]) {
    const fake = new FakeJira(options);
    fakes.push(fake);
    return { fake, url: await fake.start() };
  }

  it('passes on a reachable Jira 8.x with basic auth and a fillable issue type', async () => {
    const { url } = await jira({ version: '8.3.4', user: { name: 'crashhub', password: 'pw' } });
    const result = await hub({ JIRA_URL: url, JIRA_USER: 'crashhub', JIRA_PASSWORD: 'pw' });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, user: 'crashhub', server: { version: '8.3.4', createmeta: 'classic' }, project: { key: 'OVZ' }, issueType: { name: 'Bug' } });
  });

  it('fails naming a required field the hub does not fill, a missing issue type, or refused credentials', async () => {
    const { url } = await jira({ version: '9.12.2', token: 'pat', requiredCustomField: { id: 'customfield_10100', name: 'Severity' } });
    const required = await hub({ JIRA_URL: url, JIRA_TOKEN: 'pat' });
    expect(required.code).toBe(1);
    expect(JSON.parse(required.stdout).unfilledRequired).toEqual(['customfield_10100']);
    expect(required.stderr).toContain('required fields the hub does not fill: customfield_10100');

    const type = await hub({ JIRA_URL: url, JIRA_TOKEN: 'pat', JIRA_ISSUE_TYPE: 'Epic' });
    expect(type.stderr).toContain('issue type "Epic" is not offered in project OVZ (offered: Bug, Task)');

    const refused = await hub({ JIRA_URL: url, JIRA_TOKEN: 'wrong' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Jira answered 401: You are not authenticated.');

    const project = await hub({ JIRA_URL: url, JIRA_TOKEN: 'pat', JIRA_PROJECT: 'NOPE' });
    expect(project.stderr).toContain("No project could be found with key 'NOPE'.");
  });

  it('names a bad setting', async () => {
    const result = await hub({ JIRA_URL: 'not a url' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/invalid hub configuration: JIRA_URL/);
  });
});
