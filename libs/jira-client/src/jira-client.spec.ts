import { FakeJira } from '../../../test/support/fake-jira';
import { JiraClient, JiraError, parseIssueKey, retryAfterMs, usesPagedCreatemeta } from './jira-client';

describe('Jira REST v2 client against the fake Jira', () => {
  const servers: FakeJira[] = [];
  async function jira(version: string, extra: ConstructorParameters<typeof FakeJira>[0] = {}) {
    const fake = new FakeJira({ version, token: 'pat', user: { name: 'qa', password: 'secret' }, ...extra });
    servers.push(fake);
    await fake.start();
    return fake;
  }
  afterAll(() => Promise.all(servers.map((s) => s.stop())));

  it.each([
    ['8.3.4', '/rest/api/2/issue/createmeta?projectKeys=OVZ'],
    ['8.13.5', '/rest/api/2/issue/createmeta/OVZ/issuetypes'],
    ['9.12.2', '/rest/api/2/issue/createmeta/OVZ/issuetypes'],
  ])('Jira %s: reads serverInfo and uses the createmeta it has', async (version, path) => {
    const fake = await jira(version, { requiredCustomField: { id: 'customfield_10100', name: 'Severity' } });
    const client = new JiraClient({ baseUrl: fake.url, auth: { kind: 'token', token: 'pat' } });
    expect((await client.serverInfo()).version).toBe(version);
    const types = await client.issueTypes('OVZ');
    expect(types).toEqual([{ id: '1', name: 'Bug' }, { id: '3', name: 'Task' }]);
    const fields = await client.createFields('OVZ', types[0]!);
    expect(fields.filter((f) => f.required).map((f) => f.fieldId).sort()).toEqual(['customfield_10100', 'issuetype', 'project', 'summary']);
    expect(fields.find((f) => f.fieldId === 'versions')?.allowedValues?.map((v) => v.name)).toContain('7.0.12');
    expect(fake.requests.some((r) => r.path.startsWith(path))).toBe(true);
  });

  it("reports Jira's errorMessages and errors verbatim", async () => {
    const fake = await jira('9.12.2', { requiredCustomField: { id: 'customfield_10100', name: 'Severity' } });
    const client = new JiraClient({ baseUrl: fake.url, auth: { kind: 'basic', user: 'qa', password: 'secret' } });
    const error = await client.createIssue({ project: { key: 'OVZ' }, issuetype: { name: 'Bug' }, summary: 's', components: [{ name: 'nope' }] }).catch((e) => e);
    expect(error).toBeInstanceOf(JiraError);
    expect(error.status).toBe(400);
    expect(error.errors).toEqual({ customfield_10100: 'Severity is required.', components: "Component name 'nope' is not valid" });
    expect(error.message).toBe("Jira answered 400: customfield_10100: Severity is required.; components: Component name 'nope' is not valid");
    expect(error.transient).toBe(false);
    const search = await client.search('summary ~ "x"', []).catch((e) => e);
    expect(search.errorMessages).toEqual([`Error in the JQL Query: cannot parse 'summary ~ "x"'.`]);
  });

  it('401 for bad credentials, 403 for a user without permission', async () => {
    const fake = await jira('9.12.2', { forbiddenTokens: ['viewer-pat'] });
    const bad = await new JiraClient({ baseUrl: fake.url, auth: { kind: 'token', token: 'wrong' } }).myself().catch((e) => e);
    expect(bad).toMatchObject({ status: 401, errorMessages: ['You are not authenticated. Authentication required to perform this operation.'] });
    const forbidden = await new JiraClient({ baseUrl: fake.url, auth: { kind: 'token', token: 'viewer-pat' } })
      .createIssue({ project: { key: 'OVZ' }, issuetype: { name: 'Bug' }, summary: 's' })
      .catch((e) => e);
    expect(forbidden).toMatchObject({ status: 403, errorMessages: ['You do not have permission to create issues in this project.'] });
  });

  it('waits out 429 Retry-After and then succeeds; a 503 goes back to the caller as transient', async () => {
    const fake = await jira('9.12.2');
    const client = new JiraClient({ baseUrl: fake.url, auth: { kind: 'token', token: 'pat' } });
    fake.failNext(2, 429, '1');
    const started = Date.now();
    expect((await client.myself()).name).toBe('qa');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(fake.requests.filter((r) => r.path === '/rest/api/2/myself')).toHaveLength(3);

    fake.unavailable(1);
    const down = await client.myself().catch((e) => e);
    expect(down).toMatchObject({ status: 503, transient: true });
    // Retry-After beyond the cap is not waited for: the job's backoff takes over.
    fake.failNext(1, 429, '3600');
    await expect(new JiraClient({ baseUrl: fake.url, auth: { kind: 'token', token: 'pat' }, maxRetryAfterMs: 1000 }).myself()).rejects.toMatchObject({ status: 429, retryAfterMs: 3_600_000 });
  });

  it('search pages through results; remote links upsert by globalId; transitions need a resolution', async () => {
    const fake = await jira('9.12.2');
    const client = new JiraClient({ baseUrl: fake.url, auth: { kind: 'token', token: 'pat' } });
    for (let i = 0; i < 60; i++) fake.addIssue(`issue ${i}`, ['crashhub']);
    expect(await client.search('labels = crashhub', ['summary'])).toHaveLength(60);
    const link = { globalId: 'crashhub:candidate:1', object: { url: 'https://hub/c/1', title: 'c1' } };
    await client.upsertRemoteLink('OVZ-1', link);
    await client.upsertRemoteLink('OVZ-1', { ...link, object: { ...link.object, summary: '3 reports' } });
    expect(fake.issues.get('OVZ-1')!.remoteLinks).toEqual([expect.objectContaining({ globalId: 'crashhub:candidate:1', object: expect.objectContaining({ summary: '3 reports' }) })]);
    const resolve = (await client.transitions('OVZ-1')).find((t) => t.name === 'Resolve Issue')!;
    expect(resolve.fields?.resolution?.required).toBe(true);
    await expect(client.transition('OVZ-1', resolve.id)).rejects.toMatchObject({ errors: { resolution: 'Resolution is required.' } });
    await client.transition('OVZ-1', resolve.id, { resolution: { name: 'Fixed' } });
    expect((await client.getIssue('OVZ-1')).fields).toMatchObject({ status: { name: 'Resolved' }, resolution: { name: 'Fixed' } });
  });
});

describe('client helpers', () => {
  it('parses keys and browse URLs, nothing else', () => {
    expect(parseIssueKey('OVZ-123')).toBe('OVZ-123');
    expect(parseIssueKey(' https://bugs.openvz.org/browse/OVZ-7348 ')).toBe('OVZ-7348');
    expect(parseIssueKey('https://bugs.openvz.org/browse/OVZ-7348?focusedCommentId=1')).toBe('OVZ-7348');
    expect(parseIssueKey('ovz-1')).toBeNull();
    expect(parseIssueKey('https://example.org/OVZ-1x')).toBeNull();
  });

  it('reads Retry-After as seconds or a date; picks createmeta by version', () => {
    expect(retryAfterMs('5')).toBe(5000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(usesPagedCreatemeta([8, 3, 0])).toBe(false);
    expect(usesPagedCreatemeta([8, 4, 0])).toBe(true);
    expect(usesPagedCreatemeta([10, 0])).toBe(true);
  });
});
