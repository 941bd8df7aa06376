import { ForbiddenException, Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { HubConfig } from '../../../../libs/config/src';
import { AUTO_FILING_RULES, decideAutoFiling, ruleLabel } from '../../../../libs/triage/src';
import { AuditTrail } from '../access/audit-trail.service';
import type { Principal } from '../access/principal';
import { HUB_CONFIG } from '../config/hub-config.provider';
import { AUTO_FILING } from './qa-actors';
import { AutoFilingRepository } from './auto-filing.repository';
import { Clock } from './clock';
import { JiraSyncService } from './jira-sync.service';
import { TicketService } from './ticket.service';
import { TriageRepository } from './triage.repository';

/**
 * Files rig crash clusters by the rules in data (bugbot-style), dry-run first; comments on a
 * ticket when a new test run reproduces it.
 */
@Injectable()
export class AutoFilingService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(AutoFilingService.name);
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly repo: AutoFilingRepository,
    private readonly tickets: TicketService,
    private readonly triage: TriageRepository,
    private readonly sync: JiraSyncService,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
  ) {}

  onModuleInit(): void {
    if (this.config.role === 'api' || !this.config.jira || this.config.triage.autoFiling === 'off') return;
    const dryRun = this.config.triage.autoFiling === 'dry-run';
    this.timer = setInterval(
      () => void this.run(dryRun, AUTO_FILING).then((r) => dryRun && r.wouldFile.length && this.logger.log({ msg: 'auto-filing dry run', wouldFile: r.wouldFile })).catch((e) => this.logger.warn(`auto-filing failed: ${String(e)}`)),
      this.config.jira.syncIntervalMs,
    );
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async run(dryRun: boolean, by: Principal) {
    if (!dryRun && this.config.triage.autoFiling !== 'on') {
      throw new ForbiddenException('automatic filing is not switched on (AUTO_FILING=on); run it with dryRun first');
    }
    if (by !== AUTO_FILING) await this.audit.record(by, dryRun ? 'auto-filing.dry-run' : 'auto-filing.run', { type: 'auto-filing', id: null }, null, { rule: ruleLabel() });
    const now = this.clock.now();
    const since = new Date(now.getTime() - AUTO_FILING_RULES.newWithinDays * 86_400_000);
    const decisions = (await this.repo.rigClusters(since)).map((c) => ({ candidateId: c.candidateId, ...decideAutoFiling(c, now.toISOString()) }));
    const label = ruleLabel();
    const filed: Array<{ candidateId: string; filingId: string | null; issueKey: string | null }> = [];
    if (!dryRun) {
      for (const d of decisions.filter((x) => x.file)) {
        // One request id per candidate and rule version: a rerun joins the same filing.
        const answer = await this.tickets.requestCreate(d.candidateId, `${label}:${d.candidateId}`, AUTO_FILING, { extraLabels: [label] });
        filed.push({ candidateId: d.candidateId, filingId: answer.filingId ?? null, issueKey: answer.issueKey ?? null });
      }
    }
    const runs = await this.repo.newRunsOnTickets();
    const comments: typeof runs = [];
    for (const r of runs) {
      if (dryRun) continue;
      if (await this.triage.claimNotice(`run:${r.issueKey}:${r.testRun}`, r.candidateId, r.issueKey, { testRun: r.testRun, build: r.build, rig: r.rig })) comments.push(r);
    }
    if (comments.length) await this.sync.sendPendingNotices();
    return {
      rule: label,
      dryRun,
      wouldFile: decisions.filter((d) => d.file).map((d) => ({ candidateId: d.candidateId, reason: d.reason })),
      skipped: decisions.filter((d) => !d.file).map((d) => ({ candidateId: d.candidateId, reason: d.reason })),
      filed,
      testRunComments: dryRun ? runs : comments,
    };
  }
}
