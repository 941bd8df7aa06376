/**
 * A thin client for Jira Server/Data Center REST API v2 on Node's fetch: only the calls the hub
 * needs (serverInfo, createmeta, issues, JQL search, remote links, comments, transitions).
 */

export type JiraAuth = { kind: 'token'; token: string } | { kind: 'basic'; user: string; password: string };

export interface JiraClientOptions {
  baseUrl: string;
  auth?: JiraAuth;
  /** Waits on 429/503 honour Retry-After up to this many times. */
  maxRetries?: number;
  /** Upper bound on one Retry-After wait, so a bad header cannot stall a job. */
  maxRetryAfterMs?: number;
  fetch?: typeof fetch;
}

export interface JiraServerInfo {
  baseUrl: string;
  version: string;
  versionNumbers: number[];
  deploymentType?: string;
  buildNumber?: number;
  serverTitle?: string;
}

export interface JiraFieldMeta {
  fieldId: string;
  name: string;
  required: boolean;
  schema?: { type: string; items?: string; system?: string; custom?: string };
  allowedValues?: Array<{ id?: string; name?: string; value?: string }>;
}

export interface JiraIssueType {
  id: string;
  name: string;
}

export interface JiraIssue {
  id: string;
  key: string;
  fields: {
    summary?: string;
    description?: string | null;
    labels?: string[];
    status?: { id?: string; name: string; statusCategory?: { key: string } };
    resolution?: { name: string } | null;
    fixVersions?: Array<{ name: string }>;
    versions?: Array<{ name: string }>;
    components?: Array<{ name: string }>;
    issuelinks?: Array<{ type: { name: string; inward: string; outward: string }; inwardIssue?: { key: string }; outwardIssue?: { key: string } }>;
    updated?: string;
    [field: string]: unknown;
  };
}

export interface JiraTransition {
  id: string;
  name: string;
  to: { id?: string; name: string; statusCategory?: { key: string } };
  fields?: Record<string, { required: boolean; name?: string }>;
}

export interface RemoteLink {
  globalId: string;
  relationship?: string;
  object: { url: string; title: string; summary?: string; status?: { resolved: boolean } };
}

/** Jira's own error body, kept verbatim so people see what Jira said. */
export class JiraError extends Error {
  constructor(
    readonly status: number,
    readonly errorMessages: string[],
    readonly errors: Record<string, string>,
    readonly retryAfterMs?: number,
  ) {
    super(JiraError.describe(status, errorMessages, errors));
  }

  static describe(status: number, errorMessages: string[], errors: Record<string, string>): string {
    const parts = [...errorMessages, ...Object.entries(errors).map(([field, message]) => `${field}: ${message}`)];
    return `Jira answered ${status}${parts.length ? `: ${parts.join('; ')}` : ''}`;
  }

  /** Worth trying again later (rate limit, Jira or a proxy down), as opposed to a refusal. */
  get transient(): boolean {
    return this.status === 429 || this.status >= 500;
  }
}

/** Jira 9.0 removed the project-wide createmeta; 8.4 added its per-project replacement. */
export function usesPagedCreatemeta(versionNumbers: number[]): boolean {
  const [major = 0, minor = 0] = versionNumbers;
  return major > 8 || (major === 8 && minor >= 4);
}

/** Retry-After is seconds or an HTTP date. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** `OVZ-123` or a `/browse/OVZ-123` URL → the key. */
export function parseIssueKey(input: string): string | null {
  const match = /(?:^|\/browse\/)([A-Z][A-Z0-9_]+-\d+)(?:[/?#].*)?$/.exec(input.trim());
  return match ? match[1]! : null;
}

export class JiraClient {
  private readonly fetchImpl: typeof fetch;
  private info?: JiraServerInfo;

  constructor(private readonly options: JiraClientOptions) {
    this.fetchImpl = options.fetch ?? fetch;
  }

  get baseUrl(): string {
    return this.options.baseUrl.replace(/\/+$/, '');
  }

  browseUrl(key: string): string {
    return `${this.baseUrl}/browse/${key}`;
  }

  async serverInfo(refresh = false): Promise<JiraServerInfo> {
    if (!this.info || refresh) this.info = await this.request<JiraServerInfo>('GET', '/rest/api/2/serverInfo');
    return this.info;
  }

  myself(): Promise<{ name: string; displayName?: string }> {
    return this.request('GET', '/rest/api/2/myself');
  }

  project(key: string): Promise<{ id: string; key: string; name: string }> {
    return this.request('GET', `/rest/api/2/project/${encodeURIComponent(key)}`);
  }

  /** Issue types of a project, from whichever createmeta this Jira speaks. */
  async issueTypes(projectKey: string): Promise<JiraIssueType[]> {
    const info = await this.serverInfo();
    if (usesPagedCreatemeta(info.versionNumbers)) {
      const values = await this.paged<JiraIssueType>(`/rest/api/2/issue/createmeta/${encodeURIComponent(projectKey)}/issuetypes`);
      return values.map((t) => ({ id: t.id, name: t.name }));
    }
    const meta = await this.request<{ projects: Array<{ key: string; issuetypes: JiraIssueType[] }> }>(
      'GET',
      `/rest/api/2/issue/createmeta?projectKeys=${encodeURIComponent(projectKey)}`,
    );
    return (meta.projects.find((p) => p.key === projectKey)?.issuetypes ?? []).map((t) => ({ id: t.id, name: t.name }));
  }

  /** The fields of one issue type in a project (required ones and allowed values). */
  async createFields(projectKey: string, issueType: JiraIssueType): Promise<JiraFieldMeta[]> {
    const info = await this.serverInfo();
    if (usesPagedCreatemeta(info.versionNumbers)) {
      return this.paged<JiraFieldMeta>(
        `/rest/api/2/issue/createmeta/${encodeURIComponent(projectKey)}/issuetypes/${encodeURIComponent(issueType.id)}`,
      );
    }
    const meta = await this.request<{
      projects: Array<{ key: string; issuetypes: Array<JiraIssueType & { fields: Record<string, Omit<JiraFieldMeta, 'fieldId'>> }> }>;
    }>(
      'GET',
      `/rest/api/2/issue/createmeta?projectKeys=${encodeURIComponent(projectKey)}&issuetypeIds=${encodeURIComponent(issueType.id)}&expand=projects.issuetypes.fields`,
    );
    const type = meta.projects.find((p) => p.key === projectKey)?.issuetypes.find((t) => t.id === issueType.id);
    return Object.entries(type?.fields ?? {}).map(([fieldId, f]) => ({ fieldId, ...f }));
  }

  createIssue(fields: Record<string, unknown>): Promise<{ id: string; key: string; self: string }> {
    return this.request('POST', '/rest/api/2/issue', { fields });
  }

  getIssue(key: string, fields?: string[]): Promise<JiraIssue> {
    const query = fields ? `?fields=${encodeURIComponent(fields.join(','))}` : '';
    return this.request('GET', `/rest/api/2/issue/${encodeURIComponent(key)}${query}`);
  }

  /** JQL search, every page. */
  async search(jql: string, fields: string[]): Promise<JiraIssue[]> {
    const issues: JiraIssue[] = [];
    for (let startAt = 0; ; ) {
      const page = await this.request<{ startAt: number; maxResults: number; total: number; issues: JiraIssue[] }>(
        'POST',
        '/rest/api/2/search',
        { jql, startAt, maxResults: 100, fields },
      );
      issues.push(...page.issues);
      startAt += page.issues.length;
      if (!page.issues.length || startAt >= page.total) return issues;
    }
  }

  /** Same globalId = the same link, updated in place. */
  upsertRemoteLink(key: string, link: RemoteLink): Promise<{ id: number; self: string }> {
    return this.request('POST', `/rest/api/2/issue/${encodeURIComponent(key)}/remotelink`, link);
  }

  addComment(key: string, body: string): Promise<{ id: string }> {
    return this.request('POST', `/rest/api/2/issue/${encodeURIComponent(key)}/comment`, { body });
  }

  async transitions(key: string): Promise<JiraTransition[]> {
    const answer = await this.request<{ transitions: JiraTransition[] }>(
      'GET',
      `/rest/api/2/issue/${encodeURIComponent(key)}/transitions?expand=transitions.fields`,
    );
    return answer.transitions;
  }

  async transition(key: string, transitionId: string, fields?: Record<string, unknown>): Promise<void> {
    await this.request('POST', `/rest/api/2/issue/${encodeURIComponent(key)}/transitions`, {
      transition: { id: transitionId },
      ...(fields ? { fields } : {}),
    });
  }

  private async paged<T>(path: string): Promise<T[]> {
    const values: T[] = [];
    for (let startAt = 0; ; ) {
      const sep = path.includes('?') ? '&' : '?';
      const page = await this.request<{ values: T[]; isLast?: boolean; total?: number }>('GET', `${path}${sep}startAt=${startAt}&maxResults=50`);
      values.push(...page.values);
      startAt += page.values.length;
      if (!page.values.length || page.isLast !== false) return values;
    }
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = { Accept: 'application/json', 'Content-Type': 'application/json' };
    const auth = this.options.auth;
    if (auth?.kind === 'token') headers.Authorization = `Bearer ${auth.token}`;
    if (auth?.kind === 'basic') headers.Authorization = `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`;
    return headers;
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const maxRetries = this.options.maxRetries ?? 3;
    const cap = this.options.maxRetryAfterMs ?? 60_000;
    for (let attempt = 0; ; attempt++) {
      const response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers: this.headers(),
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: 'manual',
      });
      if (response.ok) {
        const text = await response.text();
        return (text ? JSON.parse(text) : undefined) as T;
      }
      const wait = retryAfterMs(response.headers.get('retry-after'));
      const error = await JiraClient.errorOf(response, wait);
      // Only a rate limit says when to come back; other failures go back to the caller (the job retries).
      if (response.status === 429 && attempt < maxRetries && wait !== undefined && wait <= cap) {
        await new Promise((resolve) => setTimeout(resolve, wait));
        continue;
      }
      throw error;
    }
  }

  private static async errorOf(response: Response, wait: number | undefined): Promise<JiraError> {
    const text = await response.text();
    let messages: string[] = [];
    let errors: Record<string, string> = {};
    try {
      const json = JSON.parse(text) as { errorMessages?: unknown; errors?: unknown };
      if (Array.isArray(json.errorMessages)) messages = json.errorMessages.map(String);
      if (json.errors && typeof json.errors === 'object') errors = Object.fromEntries(Object.entries(json.errors).map(([k, v]) => [k, String(v)]));
    } catch {
      if (text.trim()) messages = [text.trim().slice(0, 500)];
    }
    const reason = response.headers.get('x-seraph-loginreason');
    if (reason && !messages.length) messages = [`login refused: ${reason}`];
    return new JiraError(response.status, messages, errors, wait);
  }
}
