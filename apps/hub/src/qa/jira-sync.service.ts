import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { HubConfig } from '../../../../libs/config/src';
import { JiraClient, JiraError, JiraIssue } from '../../../../libs/jira-client/src';
import { JobQueue, JOBS, QUEUES } from '../../../../libs/queue/src';
import type { TicketStatus } from '../../../../libs/triage/src';
import { AuditTrail } from '../access/audit-trail.service';
import type { Principal } from '../access/principal';
import { HUB_CONFIG } from '../config/hub-config.provider';
import { actorLabel, JIRA_SYNC } from './qa-actors';
import { Clock } from './clock';
import { JiraConnectionService } from './jira-connection.service';
import { TICKET_FIELDS, ticketRow, TicketService } from './ticket.service';
import { TicketRepository } from './ticket.repository';
import { TriageRepository } from './triage.repository';
import { TriageService } from './triage.service';

const KEYS_PER_QUERY = 50;
/** Jira's JQL `updated` has minute precision in the service account's zone: read back a day to be safe. */
const POLL_OVERLAP_MS = 86_400_000;

function jqlTime(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10).replace(/-/g, '/')} ${iso.slice(11, 16)}`;
}

/** Polls Jira for the linked issues, moves triage states, and sends regression notices exactly once. */
@Injectable()
export class JiraSyncService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(JiraSyncService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly jira: JiraConnectionService,
    private readonly tickets: TicketRepository,
    private readonly triageRepo: TriageRepository,
    private readonly triage: TriageService,
    private readonly ticketService: TicketService,
    private readonly queue: JobQueue,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
  ) {}

  onModuleInit(): void {
    if (this.config.role === 'api' || !this.config.jira) return;
    this.timer = setInterval(() => void this.sync().catch((e) => this.logger.warn(`Jira sync failed: ${String(e)}`)), this.config.jira.syncIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One sync at a time per process; a second caller waits for the running one. */
  async sync(keys?: string[], requestedBy: Principal = JIRA_SYNC): Promise<{ issuesRead: number; changed: number; regressions: number }> {
    while (this.running) await this.running.catch(() => undefined);
    if (requestedBy !== JIRA_SYNC) await this.audit.record(requestedBy, 'jira.sync', { type: 'jira', id: null }, null, { keys: keys ?? 'all' });
    const run = this.syncOnce(keys);
    this.running = run;
    try {
      return await run;
    } finally {
      this.running = undefined;
    }
  }

  private async syncOnce(onlyKeys?: string[]) {
    const now = this.clock.now();
    let issuesRead = 0;
    let changed = 0;
    const client = this.jira.client;
    if (client) {
      const since = onlyKeys ? null : await this.triageRepo.lastPoll();
      const keys = onlyKeys ?? (await this.tickets.linkedKeys());
      for (let i = 0; i < keys.length; i += KEYS_PER_QUERY) {
        const issues = await this.read(client, keys.slice(i, i + KEYS_PER_QUERY), since);
        issuesRead += issues.length;
        for (const issue of issues) changed += await this.applyIssue(client, issue, now);
      }
    }
    let regressions = 0;
    for (const candidateId of await this.triageRepo.candidatesToEvaluate()) {
      const outcome = await this.triage.evaluate(candidateId);
      if (outcome?.regression) {
        regressions++;
        await this.claimRegression(candidateId, outcome.regression);
      }
    }
    if (client) {
      await this.sendNotices(client);
      for (const filingId of await this.tickets.stalePendingFilings(new Date(now.getTime() - this.config.jobs.backoffMs * 2 ** this.config.jobs.attempts))) {
        await this.queue.requeue(QUEUES.jira, JOBS.fileJiraTicket, { filingId }).catch((e) => this.logger.warn(`filing ${filingId} not requeued: ${String(e)}`));
      }
      if (!onlyKeys) await this.triageRepo.setLastPoll(now);
    }
    return { issuesRead, changed, regressions };
  }

  /** JQL over the keys; a key Jira no longer knows fails the whole query, so then one by one. */
  private async read(client: JiraClient, keys: string[], since: Date | null): Promise<JiraIssue[]> {
    const updated = since ? ` AND updated >= "${jqlTime(new Date(since.getTime() - POLL_OVERLAP_MS))}"` : '';
    try {
      return await client.search(`key in (${keys.join(',')})${updated}`, TICKET_FIELDS);
    } catch (error) {
      if (!(error instanceof JiraError) || error.status !== 400) throw error;
      const issues: JiraIssue[] = [];
      for (const key of keys) {
        try {
          issues.push(await client.getIssue(key, TICKET_FIELDS));
        } catch (e) {
          if (!(e instanceof JiraError) || e.status !== 404) throw e;
          this.logger.warn(`linked issue ${key} is gone from Jira`);
        }
      }
      return issues;
    }
  }

  private async status(client: JiraClient, issue: JiraIssue, now: Date, depth = 0): Promise<TicketStatus> {
    const row = ticketRow(issue, now);
    await this.tickets.saveTicket(row);
    let duplicateOf: TicketStatus | null = null;
    if (row.done && row.duplicateOf && depth < 3) {
      duplicateOf = await this.status(client, await client.getIssue(row.duplicateOf, TICKET_FIELDS), now, depth + 1);
    }
    return { key: row.issueKey, done: row.done, resolution: row.resolution, fixVersions: row.fixVersions, duplicateOf };
  }

  private async applyIssue(client: JiraClient, issue: JiraIssue, now: Date): Promise<number> {
    const ticket = await this.status(client, issue, now);
    let changed = 0;
    for (const link of await this.tickets.candidatesOf(issue.key)) {
      // A candidate follows its newest ticket (a regression ticket, a re-link); older ones are history.
      if ((await this.tickets.links(link.candidateId)).at(-1)?.issueKey !== issue.key) continue;
      const before = await this.triage.record(link.candidateId);
      const after = (await this.triage.apply(link.candidateId, { type: 'ticket', ticket, now: now.toISOString() }, JIRA_SYNC, undefined, { issueKey: issue.key })).record;
      if (before.state !== after.state) changed++;
    }
    return changed;
  }

  private async claimRegression(candidateId: string, r: { ticketKey: string; fixVersion: string; crashVersion: string }): Promise<void> {
    const base = `regression:${r.ticketKey}:${r.fixVersion}`;
    const detail = { ...r, policy: this.config.jira?.regressionPolicy ?? 'reopen' };
    if (this.config.jira?.regressionPolicy === 'new-ticket') {
      await this.triageRepo.claimNotice(`${base}:new-ticket`, candidateId, r.ticketKey, detail);
    } else {
      await this.triageRepo.claimNotice(`${base}:comment`, candidateId, r.ticketKey, detail);
      await this.triageRepo.claimNotice(`${base}:reopen`, candidateId, r.ticketKey, detail);
    }
  }

  /** Sends claimed notices now (e.g. test-run comments), not waiting for the next poll. */
  async sendPendingNotices(): Promise<void> {
    if (this.jira.client) await this.sendNotices(this.jira.client);
  }

  /** Claimed notices not yet sent; each is sent once (its key was claimed once). */
  private async sendNotices(client: JiraClient): Promise<void> {
    for (const notice of await this.triageRepo.unsentNotices()) {
      try {
        const action = await this.send(client, notice.noticeKey, notice.issueKey, notice.candidateId, notice.detail);
        await this.triageRepo.finishNotice(notice.noticeKey, null);
        await this.triage.note(notice.candidateId, JIRA_SYNC, action, { issueKey: notice.issueKey, ...notice.detail });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        await this.triageRepo.finishNotice(notice.noticeKey, message);
        await this.triage.note(notice.candidateId, JIRA_SYNC, 'jira-notice-failed', { notice: notice.noticeKey, error: message });
      }
    }
  }

  private async send(client: JiraClient, noticeKey: string, issueKey: string, candidateId: string, detail: Record<string, unknown>): Promise<string> {
    const url = this.ticketService.candidateUrl(candidateId);
    if (noticeKey.startsWith('run:')) {
      await client.addComment(issueKey, `Reproduced again by test run *${detail.testRun}* (build ${detail.build ?? 'unknown'}, rig ${detail.rig ?? 'unknown'}). Candidate: ${url}`);
      return 'test-run-commented';
    }
    if (noticeKey.endsWith(':comment')) {
      await client.addComment(issueKey, `Regression: the crash hub saw this crash again in build ${detail.crashVersion}, at or after the fix version ${detail.fixVersion}. Candidate: ${url}`);
      return 'regression-commented';
    }
    if (noticeKey.endsWith(':reopen')) {
      const name = this.config.jira!.reopenTransition;
      const transition = (await client.transitions(issueKey)).find((t) => t.name === name);
      if (!transition) throw new JiraError(400, [`transition "${name}" is not available on ${issueKey}`], {});
      await client.transition(issueKey, transition.id);
      return 'regression-reopened';
    }
    const preview = await this.ticketService.preview(candidateId);
    const created = await client.createIssue({ ...preview.fields, summary: `Regression of ${issueKey}: ${preview.summary}`.slice(0, 255) });
    await this.ticketService.backLink(client, candidateId, created.key);
    await this.tickets.transaction((m) => this.tickets.addLink(m, candidateId, created.key, 'regression', actorLabel(JIRA_SYNC)));
    return 'regression-ticket-created';
  }

  /** Webhook: Jira says an issue changed; its state is read back over REST (the body is not trusted). */
  async issueChanged(key: string): Promise<void> {
    if ((await this.tickets.candidatesOf(key)).length) await this.sync([key]);
  }
}
