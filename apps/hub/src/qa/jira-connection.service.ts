import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import type { HubConfig, JiraConfig } from '../../../../libs/config/src';
import { JiraClient, JiraError, JiraFieldMeta, JiraIssueType } from '../../../../libs/jira-client/src';
import { HUB_CONFIG } from '../config/hub-config.provider';

/** Fields the hub fills itself when filing. */
const FILLED = new Set(['summary', 'description', 'issuetype', 'project', 'labels', 'components', 'versions', 'reporter']);

export interface JiraCheck {
  ok: boolean;
  url: string | null;
  server?: { version: string; deploymentType?: string; title?: string; createmeta: 'paged' | 'classic' };
  user?: string;
  project?: { key: string; id: string; name: string };
  issueType?: { id: string; name: string };
  requiredFields?: string[];
  /** Required fields the hub does not fill: filing would fail until they are mapped. */
  unfilledRequired?: string[];
  problems: string[];
}

/** The configured Jira, its issue type and field metadata (read once, refreshed by a check). */
@Injectable()
export class JiraConnectionService {
  readonly client: JiraClient | null;
  private meta?: Promise<{ projectId: string; issueType: JiraIssueType; fields: JiraFieldMeta[] }>;

  constructor(@Inject(HUB_CONFIG) private readonly config: HubConfig) {
    const jira = config.jira;
    this.client = jira?.auth ? new JiraClient({ baseUrl: jira.url, auth: jira.auth }) : null;
  }

  get settings(): JiraConfig | null {
    return this.config.jira;
  }

  /** A client with credentials, or 503 naming what is missing. */
  require(): JiraClient {
    if (!this.client) {
      throw new ServiceUnavailableException(
        this.config.jira ? 'Jira credentials are not configured (JIRA_TOKEN or JIRA_USER + JIRA_PASSWORD); use the prefilled create form' : 'Jira is not configured (JIRA_URL)',
      );
    }
    return this.client;
  }

  /** Project id, issue type and its create fields; a failure is not cached. */
  metadata(): Promise<{ projectId: string; issueType: JiraIssueType; fields: JiraFieldMeta[] }> {
    this.meta ??= this.readMetadata().catch((error) => {
      this.meta = undefined;
      throw error;
    });
    return this.meta;
  }

  private async readMetadata() {
    const client = this.require();
    const jira = this.config.jira!;
    const project = await client.project(jira.project);
    const types = await client.issueTypes(jira.project);
    const issueType = types.find((t) => t.name === jira.issueType || t.id === jira.issueType);
    if (!issueType) throw new JiraError(400, [`issue type "${jira.issueType}" is not offered in project ${jira.project} (offered: ${types.map((t) => t.name).join(', ')})`], {});
    const fields = await client.createFields(jira.project, issueType);
    return { projectId: project.id, issueType, fields };
  }

  /** `hub jira check` and its route: connection, credentials, project, issue type, required fields. */
  async check(): Promise<JiraCheck> {
    const jira = this.config.jira;
    if (!jira) return { ok: false, url: null, problems: ['JIRA_URL is not set'] };
    const result: JiraCheck = { ok: false, url: jira.url, problems: [] };
    this.meta = undefined;
    const client = this.client ?? new JiraClient({ baseUrl: jira.url });
    try {
      const info = await client.serverInfo(true);
      const [major = 0, minor = 0] = info.versionNumbers;
      result.server = {
        version: info.version,
        deploymentType: info.deploymentType,
        title: info.serverTitle,
        createmeta: major > 8 || (major === 8 && minor >= 4) ? 'paged' : 'classic',
      };
      if (!this.client) {
        result.problems.push('no credentials: JIRA_TOKEN or JIRA_USER + JIRA_PASSWORD');
        return result;
      }
      result.user = (await this.client.myself()).name;
      const meta = await this.metadata();
      const project = await this.client.project(jira.project);
      result.project = { key: project.key, id: project.id, name: project.name };
      result.issueType = meta.issueType;
      result.requiredFields = meta.fields.filter((f) => f.required).map((f) => f.fieldId);
      result.unfilledRequired = result.requiredFields.filter((f) => !FILLED.has(f));
      if (result.unfilledRequired.length) result.problems.push(`required fields the hub does not fill: ${result.unfilledRequired.join(', ')}`);
    } catch (error) {
      result.problems.push(error instanceof Error ? error.message : String(error));
    }
    result.ok = result.problems.length === 0;
    return result;
  }
}
