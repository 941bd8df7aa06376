import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A Jira Server/Data Center stand-in on 127.0.0.1 speaking REST API v2. Shapes follow Atlassian's
 * public v2 documentation and examples:
 * - serverInfo, create issue, createmeta (pre-9 `?projectKeys=…&expand=projects.issuetypes.fields`, and the paged
 *   8.4+/9.x `/issue/createmeta/{project}/issuetypes[/{id}]` with `values`/`isLast`):
 *   https://developer.atlassian.com/server/jira/platform/jira-rest-api-examples/ and
 *   https://developer.atlassian.com/server/jira/platform/jira-rest-api-example-discovering-meta-data-for-creating-issues-6291669
 *   (removal in 9.0: https://jira.atlassian.com/browse/JRASERVER-74965)
 * - remote links with `globalId` upsert: https://developer.atlassian.com/server/jira/platform/jira-rest-api-for-remote-issue-links/
 * - transitions `{transitions:[{id,name,to,fields}]}`, POST → 204, "Resolution is required." under `errors`;
 *   search `{startAt,maxResults,total,issues}`; errors `{errorMessages:[…],errors:{field:msg}}`; 429 + Retry-After:
 *   https://docs.atlassian.com/software/jira/docs/api/REST/9.12.0/ (Data Center REST reference).
 */
export interface FakeJiraOptions {
  version?: string;
  project?: string;
  token?: string;
  user?: { name: string; password: string };
  /** Users who authenticate but may not create issues. */
  forbiddenTokens?: string[];
  /** Extra required field on Bug (checked by `hub jira check`). */
  requiredCustomField?: { id: string; name: string };
  components?: string[];
  versions?: string[];
}

export interface FakeIssue {
  id: string;
  key: string;
  fields: Record<string, unknown> & {
    summary: string;
    description: string | null;
    labels: string[];
    status: { id: string; name: string; statusCategory: { key: string } };
    resolution: { name: string } | null;
    fixVersions: Array<{ name: string }>;
    issuelinks: Array<Record<string, unknown>>;
    created: string;
    updated: string;
  };
  comments: Array<{ id: string; body: string; created: string }>;
  remoteLinks: Array<{ id: number; globalId?: string; object: { url: string; title: string; summary?: string }; relationship?: string }>;
}

const STATUSES = {
  open: { id: '1', name: 'Open', statusCategory: { key: 'new' } },
  inProgress: { id: '3', name: 'In Progress', statusCategory: { key: 'indeterminate' } },
  resolved: { id: '5', name: 'Resolved', statusCategory: { key: 'done' } },
  reopened: { id: '4', name: 'Reopened', statusCategory: { key: 'new' } },
  closed: { id: '6', name: 'Closed', statusCategory: { key: 'done' } },
};

/** The classic Jira workflow: which transitions each status offers. */
const WORKFLOW: Record<string, Array<{ id: string; name: string; to: keyof typeof STATUSES; resolution?: boolean }>> = {
  Open: [
    { id: '4', name: 'Start Progress', to: 'inProgress' },
    { id: '5', name: 'Resolve Issue', to: 'resolved', resolution: true },
    { id: '2', name: 'Close Issue', to: 'closed', resolution: true },
  ],
  'In Progress': [
    { id: '301', name: 'Stop Progress', to: 'open' },
    { id: '5', name: 'Resolve Issue', to: 'resolved', resolution: true },
  ],
  Reopened: [{ id: '5', name: 'Resolve Issue', to: 'resolved', resolution: true }],
  Resolved: [
    { id: '3', name: 'Reopen Issue', to: 'reopened' },
    { id: '701', name: 'Close Issue', to: 'closed' },
  ],
  Closed: [{ id: '3', name: 'Reopen Issue', to: 'reopened' }],
};

interface FieldMeta {
  fieldId: string;
  name: string;
  required: boolean;
  schema: Record<string, string>;
  allowedValues?: Array<{ id: string; name: string }>;
}

const RESOLUTIONS = ['Fixed', "Won't Fix", 'Duplicate', 'Incomplete', 'Cannot Reproduce', 'Done'];

export function jiraTime(date: Date): string {
  return date.toISOString().replace('Z', '+0000');
}

export class FakeJira {
  readonly issues = new Map<string, FakeIssue>();
  readonly requests: Array<{ method: string; path: string; body?: unknown }> = [];
  private readonly server = http.createServer((req, res) => this.receive(req, res));
  private next = 1;
  private remoteLinkId = 1;
  private failures: Array<{ status: number; retryAfter?: string; methodPath?: RegExp; body?: unknown }> = [];
  /** 503 for every request until this many have been refused. */
  private outage = 0;
  url = '';
  readonly version: string;
  readonly project: string;
  /** Time the fake stamps on changes; tests may move it. */
  now = () => new Date();

  constructor(private readonly options: FakeJiraOptions = {}) {
    this.version = options.version ?? '9.12.2';
    this.project = options.project ?? 'OVZ';
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** The next `count` requests (optionally matching `METHOD path`) fail with this status (and Jira error body). */
  failNext(count: number, status: number, retryAfter?: string, methodPath?: RegExp, body?: { errorMessages: string[]; errors: Record<string, string> }): void {
    for (let i = 0; i < count; i++) this.failures.push({ status, retryAfter, methodPath, body });
  }

  /** Jira (or its proxy) down: the next `count` requests get 503. */
  unavailable(count: number): void {
    this.outage = count;
  }

  created(): FakeIssue[] {
    return [...this.issues.values()];
  }

  /** What a person does in Jira: resolve, set fixVersions, mark duplicate. */
  resolve(key: string, resolution: string, fixVersions: string[] = [], duplicateOf?: string): void {
    const issue = this.mustGet(key);
    issue.fields.status = STATUSES.resolved;
    issue.fields.resolution = { name: resolution };
    issue.fields.fixVersions = fixVersions.map((name) => ({ name }));
    if (duplicateOf) {
      issue.fields.issuelinks.push({
        id: String(this.remoteLinkId++),
        type: { name: 'Duplicate', inward: 'is duplicated by', outward: 'duplicates' },
        outwardIssue: { key: duplicateOf },
      });
    }
    issue.fields.updated = jiraTime(this.now());
  }

  /** An issue made in Jira by hand (for "link existing"). */
  addIssue(summary: string, labels: string[] = []): FakeIssue {
    return this.store({ summary, labels, description: null });
  }

  private mustGet(key: string): FakeIssue {
    const issue = this.issues.get(key);
    if (!issue) throw new Error(`no fake issue ${key}`);
    return issue;
  }

  private store(fields: Record<string, unknown>): FakeIssue {
    const n = this.next++;
    const key = `${this.project}-${n}`;
    const at = jiraTime(this.now());
    const issue: FakeIssue = {
      id: String(10_000 + n),
      key,
      fields: {
        ...fields,
        summary: String(fields.summary),
        description: (fields.description as string | undefined) ?? null,
        labels: (fields.labels as string[] | undefined) ?? [],
        status: STATUSES.open,
        resolution: null,
        fixVersions: [],
        issuelinks: [],
        created: at,
        updated: at,
      },
      comments: [],
      remoteLinks: [],
    };
    this.issues.set(key, issue);
    return issue;
  }

  private paged8(): boolean {
    const [major = 0, minor = 0] = this.version.split('.').map(Number);
    return major > 8 || (major === 8 && minor >= 4);
  }

  private bugFields(): FieldMeta[] {
    const fields: FieldMeta[] = [
      { fieldId: 'summary', name: 'Summary', required: true, schema: { type: 'string', system: 'summary' } },
      { fieldId: 'issuetype', name: 'Issue Type', required: true, schema: { type: 'issuetype', system: 'issuetype' } },
      { fieldId: 'project', name: 'Project', required: true, schema: { type: 'project', system: 'project' } },
      { fieldId: 'description', name: 'Description', required: false, schema: { type: 'string', system: 'description' } },
      { fieldId: 'labels', name: 'Labels', required: false, schema: { type: 'array', items: 'string', system: 'labels' } },
      {
        fieldId: 'components',
        name: 'Component/s',
        required: false,
        schema: { type: 'array', items: 'component', system: 'components' },
        allowedValues: (this.options.components ?? ['kernel', 'vzctl', 'prlctl', 'libvirt']).map((name, i) => ({ id: String(100 + i), name })),
      },
      {
        fieldId: 'versions',
        name: 'Affects Version/s',
        required: false,
        schema: { type: 'array', items: 'version', system: 'versions' },
        allowedValues: (this.options.versions ?? ['7.0.12', '7.0.13', '7.0.14', '8.0']).map((name, i) => ({ id: String(200 + i), name })),
      },
    ];
    const custom = this.options.requiredCustomField;
    if (custom) fields.push({ fieldId: custom.id, name: custom.name, required: true, schema: { type: 'string', custom: 'textfield' } });
    return fields;
  }

  private authorized(req: http.IncomingMessage): 'ok' | 'anonymous' | 'forbidden' | 'bad' {
    const header = req.headers.authorization;
    if (!header) return 'anonymous';
    if (header.startsWith('Bearer ')) {
      const token = header.slice(7);
      if (this.options.forbiddenTokens?.includes(token)) return 'forbidden';
      return token === this.options.token ? 'ok' : 'bad';
    }
    if (header.startsWith('Basic ') && this.options.user) {
      const [name, password] = Buffer.from(header.slice(6), 'base64').toString().split(':');
      return name === this.options.user.name && password === this.options.user.password ? 'ok' : 'bad';
    }
    return 'bad';
  }

  private receive(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString();
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        return this.send(res, 400, { errorMessages: ['Unexpected character in JSON body'], errors: {} });
      }
      const url = new URL(req.url!, 'http://fake');
      this.requests.push({ method: req.method!, path: url.pathname + url.search, body });
      try {
        this.route(req, res, url, body);
      } catch (error) {
        this.send(res, 500, { errorMessages: [String(error)], errors: {} });
      }
    });
  }

  private send(res: http.ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8', ...headers });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  }

  private route(req: http.IncomingMessage, res: http.ServerResponse, url: URL, body: any): void {
    const method = req.method!;
    const path = url.pathname;
    if (this.outage > 0) {
      this.outage--;
      return void res.writeHead(503, { 'Content-Type': 'text/html' }).end('<html><body>Service Unavailable</body></html>');
    }
    const failure = this.failures.findIndex((f) => !f.methodPath || f.methodPath.test(`${method} ${path}`));
    if (failure >= 0) {
      const [f] = this.failures.splice(failure, 1);
      return this.send(res, f!.status, f!.body ?? { errorMessages: [f!.status === 429 ? 'Rate limit exceeded.' : 'Injected failure'], errors: {} }, f!.retryAfter ? { 'Retry-After': f!.retryAfter } : {});
    }
    const auth = this.authorized(req);
    if (path === '/rest/api/2/serverInfo') {
      return this.send(res, 200, {
        baseUrl: this.url,
        version: this.version,
        versionNumbers: this.version.split('.').map(Number),
        deploymentType: 'Server',
        buildNumber: 912002,
        buildDate: '2024-01-10T00:00:00.000+0000',
        serverTime: jiraTime(this.now()),
        scmInfo: '0000000000000000000000000000000000000000',
        serverTitle: 'OpenVZ bug tracker (fake)',
      });
    }
    if (auth === 'bad' || auth === 'anonymous') {
      return this.send(res, 401, { errorMessages: ['You are not authenticated. Authentication required to perform this operation.'], errors: {} }, auth === 'bad' ? { 'X-Seraph-LoginReason': 'AUTHENTICATED_FAILED' } : {});
    }
    if (auth === 'forbidden' && method !== 'GET') {
      return this.send(res, 403, { errorMessages: ['You do not have permission to create issues in this project.'], errors: {} });
    }
    if (path === '/rest/api/2/myself') return this.send(res, 200, { name: this.options.user?.name ?? 'crashhub', displayName: 'Crash hub' });
    let m: RegExpExecArray | null;
    if ((m = /^\/rest\/api\/2\/project\/([^/]+)$/.exec(path))) {
      if (m[1] !== this.project) return this.send(res, 404, { errorMessages: [`No project could be found with key '${m[1]}'.`], errors: {} });
      return this.send(res, 200, { self: `${this.url}/rest/api/2/project/10000`, id: '10000', key: this.project, name: 'OpenVZ' });
    }
    const issueTypes = [
      { self: `${this.url}/rest/api/2/issuetype/1`, id: '1', name: 'Bug', description: 'A problem.', subtask: false },
      { self: `${this.url}/rest/api/2/issuetype/3`, id: '3', name: 'Task', description: 'A task.', subtask: false },
    ];
    if (path === '/rest/api/2/issue/createmeta' && method === 'GET') {
      if (this.paged8() && Number(this.version.split('.')[0]) >= 9) {
        return this.send(res, 404, { errorMessages: ['null for uri: ' + url.href], errors: {} });
      }
      const keys = (url.searchParams.get('projectKeys') ?? '').split(',');
      const typeIds = url.searchParams.get('issuetypeIds')?.split(',');
      const expand = url.searchParams.get('expand')?.includes('projects.issuetypes.fields');
      const projects = keys.includes(this.project)
        ? [{
            self: `${this.url}/rest/api/2/project/10000`, id: '10000', key: this.project, name: 'OpenVZ',
            issuetypes: issueTypes.filter((t) => !typeIds || typeIds.includes(t.id)).map((t) => ({
              ...t,
              ...(expand ? { fields: Object.fromEntries(this.bugFields().map(({ fieldId, ...f }) => [fieldId, { ...f, hasDefaultValue: false, operations: ['set'] }])) } : {}),
            })),
          }]
        : [];
      return this.send(res, 200, { expand: 'projects', projects });
    }
    if ((m = /^\/rest\/api\/2\/issue\/createmeta\/([^/]+)\/issuetypes(?:\/([^/]+))?$/.exec(path)) && method === 'GET') {
      if (!this.paged8()) return this.send(res, 404, { errorMessages: ['null for uri: ' + url.href], errors: {} });
      if (m[1] !== this.project) return this.send(res, 404, { errorMessages: [`No project could be found with key '${m[1]}'.`], errors: {} });
      const values = m[2] ? (issueTypes.some((t) => t.id === m![2]) ? this.bugFields() : null) : issueTypes;
      if (!values) return this.send(res, 404, { errorMessages: ['Issue type with id ' + m[2] + ' does not exist'], errors: {} });
      const startAt = Number(url.searchParams.get('startAt') ?? 0);
      const maxResults = Number(url.searchParams.get('maxResults') ?? 50);
      const page = values.slice(startAt, startAt + maxResults);
      return this.send(res, 200, { maxResults, startAt, total: values.length, isLast: startAt + page.length >= values.length, values: page });
    }
    if (path === '/rest/api/2/issue' && method === 'POST') return this.create(res, body);
    if (path === '/rest/api/2/search') return this.search(res, method === 'GET' ? { jql: url.searchParams.get('jql') } : body);
    if ((m = /^\/rest\/api\/2\/issue\/([^/]+)(\/[a-z]+)?$/.exec(path))) {
      const issue = this.issues.get(m[1]!) ?? [...this.issues.values()].find((i) => i.id === m![1]);
      if (!issue) return this.send(res, 404, { errorMessages: ['Issue Does Not Exist'], errors: {} });
      const sub = m[2];
      if (!sub && method === 'GET') return this.send(res, 200, this.view(issue));
      if (sub === '/remotelink') return this.remoteLink(res, method, issue, url, body);
      if (sub === '/comment' && method === 'POST') {
        if (typeof body?.body !== 'string' || !body.body) return this.send(res, 400, { errorMessages: [], errors: { comment: 'Comment body can not be empty!' } });
        const comment = { id: String(20_000 + issue.comments.length + this.next * 100), body: body.body, created: jiraTime(this.now()) };
        issue.comments.push(comment);
        issue.fields.updated = comment.created;
        return this.send(res, 201, { self: `${this.url}/rest/api/2/issue/${issue.id}/comment/${comment.id}`, ...comment });
      }
      if (sub === '/comment' && method === 'GET') return this.send(res, 200, { startAt: 0, maxResults: issue.comments.length, total: issue.comments.length, comments: issue.comments });
      if (sub === '/transitions') return this.transitions(res, method, issue, body);
    }
    return this.send(res, 404, { errorMessages: [`null for uri: ${url.href}`], errors: {} });
  }

  private view(issue: FakeIssue) {
    return { expand: 'renderedFields,names,schema,transitions,operations,editmeta,changelog', id: issue.id, self: `${this.url}/rest/api/2/issue/${issue.id}`, key: issue.key, fields: issue.fields };
  }

  private create(res: http.ServerResponse, body: any): void {
    const fields = body?.fields;
    if (!fields || typeof fields !== 'object') return this.send(res, 400, { errorMessages: ['Can not instantiate value of type [map type; class java.util.LinkedHashMap] from JSON String'], errors: {} });
    const errors: Record<string, string> = {};
    if (fields.project?.key !== this.project && fields.project?.id !== '10000') errors.project = 'valid project is required';
    if (!['1', '3'].includes(fields.issuetype?.id) && !['Bug', 'Task'].includes(fields.issuetype?.name)) errors.issuetype = 'valid issue type is required';
    if (typeof fields.summary !== 'string' || !fields.summary.trim()) errors.summary = 'You must specify a summary of the issue.';
    else if (fields.summary.length > 255) errors.summary = 'Summary must be less than 255 characters.';
    const meta = this.bugFields();
    for (const f of meta) if (f.required && fields[f.fieldId] === undefined) errors[f.fieldId] ??= `${f.name} is required.`;
    for (const name of ['components', 'versions'] as const) {
      const allowed = (meta.find((f) => f.fieldId === name)!.allowedValues as Array<{ name: string }>).map((v) => v.name);
      for (const v of (fields[name] ?? []) as Array<{ name: string }>) {
        if (!allowed.includes(v.name)) errors[name] = name === 'components' ? `Component name '${v.name}' is not valid` : `Version name '${v.name}' is not valid`;
      }
    }
    if ((fields.labels ?? []).some((l: string) => /\s/.test(l))) errors.labels = 'The label must not contain spaces.';
    if (Object.keys(errors).length) return this.send(res, 400, { errorMessages: [], errors });
    const issue = this.store(fields);
    this.send(res, 201, { id: issue.id, key: issue.key, self: `${this.url}/rest/api/2/issue/${issue.id}` });
  }

  /** The JQL this hub sends: clauses joined by AND over project, labels, key and updated. */
  private search(res: http.ServerResponse, body: any): void {
    const jql = String(body?.jql ?? '');
    let issues = [...this.issues.values()];
    for (const clause of jql.split(/\s+AND\s+/i).map((c) => c.trim()).filter(Boolean)) {
      let m: RegExpExecArray | null;
      const list = (s: string) => s.split(',').map((v) => v.trim().replace(/^"|"$/g, ''));
      if ((m = /^project\s*=\s*"?([A-Z0-9]+)"?$/i.exec(clause))) {
        issues = issues.filter((i) => i.key.startsWith(`${m![1]}-`));
      } else if ((m = /^labels\s*=\s*"?([^"\s]+)"?$/i.exec(clause))) {
        issues = issues.filter((i) => i.fields.labels.includes(m![1]!));
      } else if ((m = /^labels\s+in\s*\(([^)]*)\)$/i.exec(clause))) {
        const wanted = list(m[1]!);
        issues = issues.filter((i) => i.fields.labels.some((l) => wanted.includes(l)));
      } else if ((m = /^(?:key|issuekey)\s+in\s*\(([^)]*)\)$/i.exec(clause))) {
        const keys = list(m[1]!);
        const missing = keys.find((k) => !this.issues.has(k));
        if (missing) return this.send(res, 400, { errorMessages: [`An issue with key '${missing}' does not exist for field 'key'.`], errors: {} });
        issues = issues.filter((i) => keys.includes(i.key));
      } else if ((m = /^updated\s*>=\s*"(\d{4})[/-](\d{2})[/-](\d{2}) (\d{2}):(\d{2})"$/i.exec(clause))) {
        const since = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!);
        issues = issues.filter((i) => Date.parse(i.fields.updated.replace('+0000', 'Z')) >= since);
      } else {
        return this.send(res, 400, { errorMessages: [`Error in the JQL Query: cannot parse '${clause}'.`], errors: {} });
      }
    }
    const startAt = Number(body?.startAt ?? 0);
    const maxResults = Math.min(Number(body?.maxResults ?? 50), 50);
    const page = issues.slice(startAt, startAt + maxResults);
    this.send(res, 200, { expand: 'schema,names', startAt, maxResults, total: issues.length, issues: page.map((i) => this.view(i)) });
  }

  private remoteLink(res: http.ServerResponse, method: string, issue: FakeIssue, url: URL, body: any): void {
    if (method === 'GET') {
      const globalId = url.searchParams.get('globalId');
      const links = issue.remoteLinks.filter((l) => !globalId || l.globalId === globalId);
      return globalId ? (links[0] ? this.send(res, 200, links[0]) : this.send(res, 404, { errorMessages: ['No remote link with given globalId'], errors: {} })) : this.send(res, 200, links);
    }
    if (method !== 'POST') return this.send(res, 405, { errorMessages: ['Method Not Allowed'], errors: {} });
    const errors: Record<string, string> = {};
    if (!body?.object?.url) errors.url = "'url' is required.";
    if (!body?.object?.title) errors.title = "'title' is required.";
    if (Object.keys(errors).length) return this.send(res, 400, { errorMessages: [], errors });
    const existing = body.globalId ? issue.remoteLinks.find((l) => l.globalId === body.globalId) : undefined;
    if (existing) {
      Object.assign(existing, { object: body.object, relationship: body.relationship });
      return this.send(res, 200, { id: existing.id, self: `${this.url}/rest/api/2/issue/${issue.key}/remotelink/${existing.id}` });
    }
    const link = { id: this.remoteLinkId++, globalId: body.globalId, object: body.object, relationship: body.relationship };
    issue.remoteLinks.push(link);
    this.send(res, 201, { id: link.id, self: `${this.url}/rest/api/2/issue/${issue.key}/remotelink/${link.id}` });
  }

  private transitions(res: http.ServerResponse, method: string, issue: FakeIssue, body: any): void {
    const available = WORKFLOW[issue.fields.status.name] ?? [];
    const shape = (t: (typeof available)[number]) => ({
      id: t.id,
      name: t.name,
      to: STATUSES[t.to],
      fields: t.resolution ? { resolution: { required: true, name: 'Resolution', schema: { type: 'resolution', system: 'resolution' }, allowedValues: RESOLUTIONS.map((name, i) => ({ id: String(i + 1), name })) } } : {},
    });
    if (method === 'GET') return this.send(res, 200, { expand: 'transitions', transitions: available.map(shape) });
    const t = available.find((x) => x.id === String(body?.transition?.id));
    if (!t) return this.send(res, 400, { errorMessages: [`It seems that you have tried to perform a workflow operation (${body?.transition?.id}) that is not valid for the current state of this issue (${issue.key}).`], errors: {} });
    const resolution = body?.fields?.resolution?.name;
    if (t.resolution && !resolution) return this.send(res, 400, { errorMessages: [], errors: { resolution: 'Resolution is required.' } });
    issue.fields.status = STATUSES[t.to];
    issue.fields.resolution = t.resolution ? { name: resolution } : STATUSES[t.to].statusCategory.key === 'done' ? issue.fields.resolution : null;
    issue.fields.updated = jiraTime(this.now());
    res.writeHead(204).end();
  }
}
