import { AgentCrashReportSchema, type AgentCrashReport, type UReportV2 } from '../../../libs/contracts/src';
import { CEP_HOST_ID_HEADER } from '../../../libs/contracts/src/cep';
import { OCCURRENCES_HEADER, REPORT_LABELS_HEADER } from '../../../libs/contracts/src/crash/crash-delivery';
import { PROBLEM_TYPES } from '../../../libs/crash-reports/src/problem-types';
import type { Spool } from '../delivery/spool';
import type { Clock } from '../schedule/clock';
import { buildProblemArchive } from './archive-builder';
import type { CrashesConfig } from './crash-config';
import { withheldReason } from './crash-policy';
import { crashReportId, CrashStateStore, type PendingReport, type SentProblem } from './crash-state-store';
import { discoverProblems } from './problem-discovery';
import { problemKey, type ProblemLocation } from './problem-location';
import { elementNumber, readProblem, type Problem } from './problem-reader';
import { ProblemScrubber } from './problem-scrubber';
import { buildUReport } from './ureport-builder';

/**
 * new: never sent; repeat: ABRT counted more occurrences since; spooled: waiting in the spool for
 * the hub's 2xx; evicted: pushed out of a full spool before delivery, rebuilt at the next collect;
 * sent: the hub acknowledged everything; unsupported: the hub cannot group its type; withheld: the
 * crash policy keeps it on the host (`withheld` says why).
 */
export type ProblemStatus = 'new' | 'repeat' | 'spooled' | 'evicted' | 'sent' | 'unsupported' | 'withheld';

export interface FoundProblem {
  location: ProblemLocation;
  key: string;
  problem: Problem;
  type: string;
  status: ProblemStatus;
  count: number;
  /** Occurrences not yet reported. */
  occurrences: number;
  sent?: SentProblem;
  /** Reports for it that left the spool without a 2xx. */
  evicted: PendingReport[];
  /** Why the crash policy keeps it on the host. */
  withheld?: string;
}

export interface CrashSubmission {
  reportId: string;
  kind: 'crash-report' | 'crash-archive';
  body: Buffer;
  headers?: Record<string, string>;
  ureport?: UReportV2;
  archiveMembers?: Map<string, string>;
}

export interface CrashReporterOptions {
  config: CrashesConfig;
  hostId: string;
  spool: Spool;
  stateDir: string;
  /** Rig labels (rig, test_run, build, test_name); empty for field hosts. */
  labels: Record<string, string>;
  /** Rig mode: the vendor's unpackaged builds may be sent (crashes.rig_unpackaged). */
  rig?: boolean;
  /** This host's names, users and serials (part 1's gatherSensitiveValues). */
  hostSensitiveValues: () => Promise<string[]>;
  clock: Clock;
  log: (message: string) => void;
}

/** Host values change rarely; gathering them runs commands, so not on every rig poll. */
const HOST_VALUES_TTL_MS = 60 * 60 * 1000;

/**
 * Finds problems, decides what is new or repeated against the persisted state, and turns each into
 * what the hub ingests: a uReport (core, python, kerneloops, vmcore) or a scrubbed problem-directory
 * archive (anaconda, xorg, Java, or every type with `archive: true`).
 *
 * A repeat (ABRT `count` grew) is sent as a new report whose `occurrences` is the increase, under a
 * new id derived from the new count, so the hub adds exactly the new occurrences to the candidate.
 */
export class CrashReporter {
  private readonly state: CrashStateStore;
  private hostValues?: { values: string[]; at: number };

  constructor(private readonly opts: CrashReporterOptions) {
    this.state = new CrashStateStore(opts.stateDir, opts.config.state_file);
  }

  get hostId(): string {
    return this.opts.hostId;
  }

  async scan(): Promise<FoundProblem[]> {
    const state = await this.state.read();
    const spooled = new Set((await this.opts.spool.list()).map((e) => e.reportId));
    const found: FoundProblem[] = [];
    for (const location of await discoverProblems(this.opts.config)) {
      const problem = await readProblem(location);
      if (!problem) continue;
      const key = problemKey(location);
      const type = problem.elements.get('type')?.trim() ?? '';
      const count = Math.max(1, elementNumber(problem, 'count') ?? 1);
      const sent = state[key];
      const occurrences = count - (sent?.count ?? 0);
      const pending = sent?.pending ?? [];
      const evicted = pending.filter((p) => !spooled.has(p.reportId));
      const withheld = withheldReason(problem, this.opts.config, this.opts.rig === true);
      const status: ProblemStatus = !PROBLEM_TYPES.includes(type)
        ? 'unsupported'
        : withheld
          ? 'withheld'
          : !sent
            ? 'new'
            : occurrences > 0
              ? 'repeat'
              : evicted.length
                ? 'evicted'
                : pending.length
                  ? 'spooled'
                  : 'sent';
      found.push({
        location, key, problem, type, status, count, occurrences: Math.max(0, occurrences), sent, evicted,
        ...(withheld ? { withheld } : {}),
      });
    }
    return found;
  }

  /** `again`: rebuild an evicted report under its own id and occurrences (the hub stores an id once). */
  async build(found: FoundProblem, again?: PendingReport): Promise<CrashSubmission> {
    const { problem } = found;
    const scrubber = ProblemScrubber.forProblem(problem, this.opts.hostId, await this.sensitiveValues());
    const reportId = again?.reportId ?? crashReportId(this.opts.hostId, found.key, found.count);
    const occurrences = again?.occurrences ?? found.occurrences;
    const labels = Object.keys(this.opts.labels).length ? this.opts.labels : undefined;
    const ureport = this.opts.config.archive ? undefined : buildUReport(problem, scrubber);
    if (ureport) {
      const time = elementNumber(problem, found.status === 'repeat' ? 'last_occurrence' : 'time') ?? elementNumber(problem, 'time');
      const report: AgentCrashReport = {
        reportId,
        hostId: this.opts.hostId,
        ...(labels ? { labels } : {}),
        occurrences,
        ...(time ? { crashedAt: new Date(time * 1000).toISOString() } : {}),
        ureport,
      };
      // Checked here so a report the hub would refuse goes as an archive instead.
      if (AgentCrashReportSchema.safeParse(report).success) {
        return { reportId, kind: 'crash-report', body: Buffer.from(JSON.stringify(report)), ureport };
      }
    }
    const archive = await buildProblemArchive(problem, scrubber, { includeCoredump: this.opts.config.include_coredump });
    return {
      reportId,
      kind: 'crash-archive',
      body: archive.tarball,
      // The hub adds exactly these occurrences; the archive keeps ABRT's own count.
      headers: {
        [OCCURRENCES_HEADER]: String(occurrences),
        ...(labels ? { [REPORT_LABELS_HEADER]: JSON.stringify(labels) } : {}),
      },
      archiveMembers: archive.members,
    };
  }

  /**
   * Spools every new or repeated problem, then records it as pending until the hub acknowledges
   * it (CrashStateStore.settle, from the sender); re-spools pending reports a full spool evicted. Returns the spooled ids.
   */
  async collect(): Promise<string[]> {
    const spooled: string[] = [];
    for (const found of await this.scan()) {
      if (found.status === 'unsupported' || found.status === 'withheld') continue;
      for (const again of found.evicted) {
        await this.spoolSubmission(await this.build(found, again));
        this.opts.log(`cep-agent: crash ${found.location.path} report ${again.reportId} was evicted from the spool before delivery; spooled again`);
        spooled.push(again.reportId);
      }
      if (found.status !== 'new' && found.status !== 'repeat') continue;
      const submission = await this.build(found);
      // Spool first, state second: dying in between re-spools the same (derived) id, never a second one.
      await this.spoolSubmission(submission);
      const pending = (found.sent?.pending ?? []).filter((p) => p.reportId !== submission.reportId);
      await this.state.record(found.key, {
        count: found.count,
        lastOccurrence: elementNumber(found.problem, 'last_occurrence'),
        reportIds: [...(found.sent?.reportIds ?? []), submission.reportId],
        pending: [...pending, { reportId: submission.reportId, occurrences: found.occurrences }],
      });
      this.opts.log(`cep-agent: crash ${found.location.path} (${found.type}, ${found.status}, +${found.occurrences}) spooled as ${submission.kind} ${submission.reportId}`);
      spooled.push(submission.reportId);
    }
    return spooled;
  }

  private async spoolSubmission(submission: CrashSubmission): Promise<void> {
    // With the id it was built under, so that a re-key before it is sent drops it (see HttpSender).
    const headers = { ...submission.headers, [CEP_HOST_ID_HEADER]: this.opts.hostId };
    await this.opts.spool.enqueue(submission.reportId, submission.body, this.opts.clock.now(), { kind: submission.kind, headers });
  }

  private async sensitiveValues(): Promise<string[]> {
    const now = this.opts.clock.now();
    if (!this.hostValues || now - this.hostValues.at > HOST_VALUES_TTL_MS) this.hostValues = { values: await this.opts.hostSensitiveValues(), at: now };
    return this.hostValues.values;
  }
}
