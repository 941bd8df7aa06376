import { Injectable } from '@nestjs/common';
import type { JiraCheckView, JiraSettingsView } from '../../../../libs/console-pages/src';
import { AuditEventRepository } from '../access/audit-event.repository';
import { AuditTrail } from '../access/audit-trail.service';
import type { Principal } from '../access/principal';
import { JiraConnectionService } from '../qa/jira-connection.service';

/** Audit action of a connection test; its `after` holds the result the admin page shows. */
export const JIRA_CHECK_ACTION = 'jira.connection-check';

/** Jira settings as the admin page shows them (never a secret), and the audited connection test. */
@Injectable()
export class AdminJiraService {
  constructor(
    private readonly jira: JiraConnectionService,
    private readonly trail: AuditTrail,
    private readonly events: AuditEventRepository,
  ) {}

  settings(): JiraSettingsView | null {
    const s = this.jira.settings;
    if (!s) return null;
    return { url: s.url, project: s.project, issueType: s.issueType, auth: s.auth?.kind ?? 'none', regressionPolicy: s.regressionPolicy };
  }

  /** Runs the check and records it; the result travels to the next GET through the audit trail, not the URL. */
  async check(who: Principal): Promise<boolean> {
    const result = await this.jira.check();
    await this.trail.record(who, JIRA_CHECK_ACTION, { type: 'jira', id: null }, null, { ...result });
    return result.ok;
  }

  /** The latest connection test by anyone, or null. */
  async lastCheck(): Promise<JiraCheckView | null> {
    const [event] = await this.events.find({ action: JIRA_CHECK_ACTION, limit: 1 });
    if (!event?.after) return null;
    const r = event.after as Omit<JiraCheckView, 'at' | 'by'>;
    return {
      at: event.at,
      by: event.actorName,
      ok: r.ok === true,
      problems: Array.isArray(r.problems) ? r.problems.map(String) : [],
      server: r.server,
      user: r.user,
      project: r.project,
      issueType: r.issueType,
    };
  }
}
