import { Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { HubConfig } from '../../../../libs/config/src';
import {
  ManualState,
  NEW_TRIAGE,
  nextTriage,
  probablyFixedIn,
  TriageEvent,
  TriageOutcome,
  TriageRecord,
  visibleState,
} from '../../../../libs/triage/src';
import { AuditTrail } from '../access/audit-trail.service';
import type { Principal } from '../access/principal';
import { HUB_CONFIG } from '../config/hub-config.provider';
import { ReportIndexerService } from '../search/report-indexer.service';
import { actorLabel, JIRA_SYNC } from './qa-actors';
import { CandidateDetailRepository } from '../candidates/candidate-detail.repository';
import { Clock } from './clock';
import { TicketRepository } from './ticket.repository';
import { TriageRepository } from './triage.repository';

/** Applies triage events through the pure state machine, logging every change with who made it. */
@Injectable()
export class TriageService {
  private readonly logger = new Logger(TriageService.name);

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly repo: TriageRepository,
    private readonly tickets: TicketRepository,
    private readonly candidates: CandidateDetailRepository,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
    private readonly indexer: ReportIndexerService,
  ) {}

  /**
   * One event on one candidate, under a lock. The log gets the action when one is named (a person's
   * act), else an entry only when the visible or synced state changed (sync); each entry is audited
   * with the principal. A job acting for a person names them in `onBehalfOf`.
   */
  async apply(candidateId: string, event: TriageEvent, by: Principal, action?: string, detail: Record<string, unknown> = {}, onBehalfOf?: string): Promise<TriageOutcome> {
    const outcome = await this.repo.transaction(async (m) => {
      const before = (await this.repo.lockRecord(m, candidateId)) ?? NEW_TRIAGE;
      const outcome = nextTriage(before, event);
      const after = outcome.record;
      await this.repo.save(m, candidateId, visibleState(after), after);
      const changed = before.state !== after.state || visibleState(before) !== visibleState(after) || before.fixVersion !== after.fixVersion;
      if (action || changed) {
        const entry = {
          ...detail,
          ...(changed ? { from: visibleState(before), to: visibleState(after), synced: after.state } : {}),
          ...(after.fixVersion && after.fixVersion !== before.fixVersion ? { fixVersion: after.fixVersion } : {}),
          ...(outcome.regression ? { regression: outcome.regression } : {}),
        };
        await this.repo.log(m, candidateId, onBehalfOf ?? actorLabel(by), action ?? 'state-changed', entry);
        await this.audit.record(by, `triage.${action ?? 'state-changed'}`, { type: 'candidate', id: candidateId }, { state: visibleState(before), record: before }, { state: visibleState(after), ...entry, ...(onBehalfOf ? { onBehalfOf } : {}) }, m);
      }
      return { outcome, shownChanged: visibleState(before) !== visibleState(after) };
    });
    // The search index filters by the shown state; it is copied there after the change commits.
    if (outcome.shownChanged) await this.indexer.indexCandidates([candidateId]);
    return outcome.outcome;
  }

  /** A log entry for an act that does not change the state (a filing requested, refused by Jira). */
  async note(candidateId: string, by: Principal, action: string, detail: Record<string, unknown>, onBehalfOf?: string): Promise<void> {
    await this.repo.transaction(async (m) => {
      await this.repo.log(m, candidateId, onBehalfOf ?? actorLabel(by), action, detail);
      await this.audit.record(by, `triage.${action}`, { type: 'candidate', id: candidateId }, null, { ...detail, ...(onBehalfOf ? { onBehalfOf } : {}) }, m);
    });
  }

  async setManual(candidateId: string, manual: { kind: 'ignored' | 'muted'; untilVersion?: string; untilCount?: number } | null, by: Principal) {
    await this.mustExist(candidateId);
    const state: ManualState | null = manual
      ? {
          kind: manual.kind,
          untilVersion: manual.untilVersion ?? null,
          untilCount: manual.untilCount ?? null,
          reportsAtStart: await this.repo.reportCount(candidateId),
          since: this.clock.now().toISOString(),
        }
      : null;
    await this.apply(candidateId, { type: 'manual', manual: state }, by, manual ? `set-${manual.kind}` : 'clear-manual', manual ? { ...manual } : {});
    return this.view(candidateId);
  }

  /** Crash-driven transitions: verified fixed after quiet days, regressed, manual states ending. */
  async evaluate(candidateId: string): Promise<TriageOutcome | null> {
    const row = await this.repo.find(candidateId);
    if (!row) return null;
    const record = row.record;
    const since = [record.fixedAt, record.manual?.since].filter((x): x is string => Boolean(x)).sort()[0];
    const crashes = since ? await this.repo.versionsSince(candidateId, new Date(since)) : [];
    return this.apply(candidateId, {
      type: 'evaluate',
      now: this.clock.now().toISOString(),
      crashes,
      reportCount: await this.repo.reportCount(candidateId),
      verifyDays: this.config.triage.verifyDays,
    }, JIRA_SYNC);
  }

  async record(candidateId: string): Promise<TriageRecord> {
    return (await this.repo.find(candidateId))?.record ?? NEW_TRIAGE;
  }

  /** Everything QA sees about a candidate's triage: state, tickets, probably fixed, the log. */
  async view(candidateId: string) {
    await this.mustExist(candidateId);
    const record = await this.record(candidateId);
    const links = await this.tickets.links(candidateId);
    const tickets = new Map((await this.tickets.tickets(links.map((l) => l.issueKey))).map((t) => [t.issueKey, t]));
    const activity = await this.repo.versionActivity(candidateId);
    const probablyFixed = probablyFixedIn({ ...activity, now: this.clock.now().toISOString(), windowDays: this.config.triage.probablyFixedWindowDays });
    const log = await this.repo.logOf(candidateId);
    return {
      candidateId,
      state: visibleState(record),
      syncedState: record.state,
      manual: record.manual,
      ticketKey: record.ticketKey,
      duplicateOf: record.duplicateOf,
      fixVersion: record.fixVersion,
      fixedAt: record.fixedAt,
      regressedAt: record.regressedAt,
      regressionVersion: record.regressionVersion,
      probablyFixedIn: probablyFixed,
      tickets: links.map((l) => {
        const t = tickets.get(l.issueKey);
        return {
          key: l.issueKey,
          url: this.config.jira ? `${this.config.jira.url}/browse/${l.issueKey}` : null,
          origin: l.origin,
          linkedBy: l.createdBy,
          linkedAt: l.createdAt,
          status: t?.status ?? null,
          resolution: t?.resolution ?? null,
          fixVersions: t?.fixVersions ?? [],
          syncedAt: t?.syncedAt ?? null,
        };
      }),
      log: log.map((e) => ({ at: e.at, actor: e.actor, action: e.action, detail: e.detail })),
    };
  }

  async mustExist(candidateId: string): Promise<void> {
    const candidate = await this.candidates.findCandidate(candidateId);
    if (!candidate) throw new NotFoundException(`candidate ${candidateId} not found`);
    if (candidate.mergedIntoId) throw new NotFoundException(`candidate ${candidateId} was merged into ${candidate.mergedIntoId}`);
  }
}
