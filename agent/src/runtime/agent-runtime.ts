import { CEP_HOST_ID_HEADER, type BuiltinCollectorName } from '../../../libs/contracts/src/cep';
import type { Collector, CollectorContext } from '../collectors/collector';
import { ALL_COLLECTOR_NAMES, BUILTIN_COLLECTORS, EXTERNAL_SCRIPTS, type CollectorName } from '../collectors/collector-registry';
import type { CollectorResult } from '../collectors/collector-result';
import { runCollector } from '../collectors/collector-runner';
import { runExternalScripts } from '../collectors/external-scripts.collector';
import { isCollectorEnabled, type AgentConfig } from '../config/agent-config';
import { CrashReporter } from '../crashes/crash-reporter';
import { CrashStateStore } from '../crashes/crash-state-store';
import { singleFlight, watchCrashRoots } from '../crashes/crash-watcher';
import type { RigSettings } from '../crashes/rig-settings';
import { deliverToFile } from '../delivery/file-sender';
import { HttpSender, type FlushResult } from '../delivery/http-sender';
import { hubConnection } from '../delivery/hub-request';
import { Spool } from '../delivery/spool';
import { ProcessCommandRunner, type CommandRunner } from '../host/command-runner';
import { HostFs } from '../host/host-fs';
import { DEFAULT_ALLOW_LISTS } from '../privacy/allow-lists';
import { Scrubber } from '../privacy/scrubber';
import { gatherSensitiveValues } from '../privacy/sensitive-values';
import { buildReport, type BuiltReport } from '../report/report-builder';
import { storeLatestOutputs } from '../report/output-store';
import { systemClock, type Clock } from '../schedule/clock';
import { DEFAULT_TIMETABLE, Schedule, type Slot } from '../schedule/timetable';
import { erasureKeyHash } from '../state/erasure-key';
import { loadOrCreateIdentity, resetIdentity, type HostIdentity } from '../state/host-identity';
import { nextReportSequence, readReportSequence } from '../state/report-sequence';
import { readRunState, writeRunState, type CollectorRunRecord } from '../state/run-state';

export interface AgentDeps {
  clock?: Clock;
  runner?: CommandRunner;
  log?: (message: string) => void;
  /** Replaces built-in collectors (tests inject hanging or misbehaving ones). */
  collectors?: Partial<Record<BuiltinCollectorName, Collector>>;
  random?: () => number;
}

export interface AgentStatus {
  hostId: string;
  enabled: boolean;
  collectors: Record<string, CollectorRunRecord>;
  spool: { reports: number; bytes: number };
  nextDue: { at: string; day: string; collectors: string[] };
}

/** What the runtime keeps of the identity: only the key's hash, the key itself is used by `erase` alone. */
interface CurrentIdentity {
  hostId: string;
  erasureKeyHash: string;
  /** The timetable shifted by this id's offset. */
  schedule: Schedule;
}

/** The agent's operations, shared by the CLI commands and the daemon loop. */
export class AgentRuntime {
  readonly spool: Spool;
  private readonly clock: Clock;
  private readonly runner: CommandRunner;
  private readonly log: (message: string) => void;
  private identity: CurrentIdentity;
  private identityRead?: Promise<HostIdentity>;
  private leaving?: Promise<void>;

  private constructor(
    readonly config: AgentConfig,
    identity: HostIdentity,
    private readonly deps: AgentDeps,
  ) {
    this.clock = deps.clock ?? systemClock;
    this.runner = deps.runner ?? new ProcessCommandRunner();
    this.log = deps.log ?? ((m) => console.warn(m));
    this.spool = new Spool(config.spool_dir, config.spool_max_reports, this.log);
    // One attempt per report: with the hub away, spooling goes on after a single timeout.
    this.spool.relieve = async () => void (await this.deliver({ maxFailures: 1 }));
    this.identity = this.derive(identity);
  }

  static async create(config: AgentConfig, deps: AgentDeps = {}): Promise<AgentRuntime> {
    return new AgentRuntime(config, await loadOrCreateIdentity(config.state_dir), deps);
  }

  get hostId(): string {
    return this.identity.hostId;
  }

  get erasureKeyHash(): string {
    return this.identity.erasureKeyHash;
  }

  private derive(identity: HostIdentity): CurrentIdentity {
    const schedule = new Schedule(this.config.timetable ?? DEFAULT_TIMETABLE, this.config.report_period, identity.hostId);
    return { hostId: identity.hostId, erasureKeyHash: erasureKeyHash(identity.erasureKey), schedule };
  }

  /**
   * Re-reads the identity before every run and every send: `erase` and `reset-id` re-key the state
   * dir under a running daemon. Missing files are created as at startup, which cannot race an erase:
   * erase replaces both files by atomic rename (never leaving them missing) and refuses to run without
   * them. Reads are single-flight so that the daemon and the crash watcher never create two at once.
   */
  private async refreshIdentity(): Promise<CurrentIdentity> {
    this.identityRead ??= loadOrCreateIdentity(this.config.state_dir).finally(() => (this.identityRead = undefined));
    this.identity = this.derive(await this.identityRead);
    return this.identity;
  }

  /**
   * The hub has reports from another installation under this id (a clone of a golden image, a
   * restored state dir): take a new id and key, as `reset-id` would, so the two stop being counted
   * as one host. Reports still spooled under the shared id are then dropped, not sent.
   */
  private leaveSharedHostId(hostId: string): Promise<void> {
    // Serialized: two senders told at once must not re-key twice.
    this.leaving = (this.leaving ?? Promise.resolve()).then(async () => {
      if ((await this.refreshIdentity()).hostId !== hostId) return;
      this.identity = this.derive(await resetIdentity(this.config.state_dir));
      this.log(`cep-agent: the hub has reports from another installation under host id ${hostId} (a cloned image?); this host now reports as ${this.hostId}`);
    });
    return this.leaving;
  }

  /** Enabled collectors in timetable order (the order reports list them in). */
  enabledCollectors(): CollectorName[] {
    return ALL_COLLECTOR_NAMES.filter((n) => isCollectorEnabled(this.config, n));
  }

  /**
   * Runs the named collectors in order. With `record`, outputs go to the output dir and the run
   * state (what `collect` and the daemon do); `preview` runs without leaving traces.
   */
  async collect(names: readonly CollectorName[], { record }: { record: boolean }): Promise<CollectorResult[]> {
    const fs = new HostFs(this.config.host_root);
    const commandTimeoutMs = this.config.command_timeout;
    const ctx: CollectorContext = { fs, runner: this.runner, allowLists: DEFAULT_ALLOW_LISTS, commandTimeoutMs };
    const { hostId } = await this.refreshIdentity();
    const scrubber = new Scrubber({ hostId, sensitiveValues: await gatherSensitiveValues(fs, this.runner, commandTimeoutMs) });
    const results: CollectorResult[] = [];
    for (const name of names) {
      if (name === EXTERNAL_SCRIPTS) {
        results.push(
          ...(await runExternalScripts(ctx, scrubber, {
            dir: this.config.scripts_dir,
            timeoutMs: this.config.script_timeout,
            maxOutputBytes: this.config.script_output_limit,
            clock: this.clock,
          })),
        );
      } else {
        const collector = this.deps.collectors?.[name] ?? BUILTIN_COLLECTORS[name];
        results.push(await runCollector(collector, ctx, scrubber, { timeoutMs: this.config.collector_timeout, clock: this.clock }));
      }
    }
    if (record) {
      await storeLatestOutputs(this.config.output_dir, results);
      const state = await readRunState(this.config.state_dir);
      for (const r of results) state.collectors[r.name] = { status: r.status, collectedAt: r.collectedAt, durationMs: r.durationMs, ...(r.reason ? { reason: r.reason } : {}) };
      await writeRunState(this.config.state_dir, state);
    }
    return results;
  }

  /**
   * With `record`, the report counts towards the sequence (it is to be sent); without, as for
   * `preview`, it shows the number the next recorded report will carry and leaves no trace.
   */
  async build(results: CollectorResult[], { record }: { record: boolean }): Promise<BuiltReport> {
    const stateDir = this.config.state_dir;
    const { hostId, erasureKeyHash } = await this.refreshIdentity();
    const sequence = record ? await nextReportSequence(stateDir, hostId) : (await readReportSequence(stateDir, hostId)) + 1;
    return buildReport(results, { hostId, sequence, erasureKeyHash }, new Date(this.clock.now()));
  }

  async enqueue(report: BuiltReport): Promise<void> {
    // The id it was built under goes with it, so that a re-key before it is sent drops it (see HttpSender).
    await this.spool.enqueue(report.reportId, report.tarball, this.clock.now(), { headers: { [CEP_HOST_ID_HEADER]: report.manifest.hostId } });
  }

  /** `token` (a rig's API token) replaces the configured one. */
  sender(token?: string): HttpSender | undefined {
    const conn = hubConnection(this.config);
    if (!conn) return undefined;
    return new HttpSender({
      hubUrl: conn.hubUrl,
      token: token ?? conn.token,
      ca: conn.ca,
      hostId: this.hostId,
      currentHostId: async () => (await this.refreshIdentity()).hostId,
      onHostIdShared: (hostId) => this.leaveSharedHostId(hostId),
      spool: this.spool,
      // A crash counts as sent only now (crashes list, and an evicted one is rebuilt until then).
      onSettled: async (entry) => {
        if (entry.kind !== 'cep') await new CrashStateStore(this.config.state_dir, this.config.crashes.state_file).settle(entry.reportId);
      },
      clock: this.clock,
      timeoutMs: conn.timeoutMs,
      retryInitialMs: this.config.retry_initial,
      retryMaxMs: this.config.retry_max,
      log: this.log,
      random: this.deps.random,
    });
  }

  async deliver(options: { signal?: AbortSignal; deadline?: number; maxFailures?: number; token?: string } = {}): Promise<FlushResult> {
    const p = this.config.protocol;
    if (p.type === 'FILE') return deliverToFile(this.spool, p.path);
    // For reports spooled without the id they were built under (see HttpSender).
    await this.refreshIdentity();
    return this.sender(options.token)!.flush(options);
  }

  /** Crashes go to the hub only: with the FILE protocol there is nowhere to send them. */
  crashDeliveryProblem(): string | undefined {
    if (this.config.protocol.type !== 'HTTP') return 'crash reports need protocol type HTTP (a hub URL)';
    if (!this.config.crashes.enabled) return 'crash collection is switched off (crashes.enabled: false)';
    return undefined;
  }

  /** Same spool, host id and scrubbing inputs as CEP reports. */
  crashReporter(rig?: RigSettings): CrashReporter {
    const fs = new HostFs(this.config.host_root);
    return new CrashReporter({
      config: this.config.crashes,
      hostId: this.hostId,
      spool: this.spool,
      stateDir: this.config.state_dir,
      labels: rig?.labels ?? {},
      rig: rig !== undefined,
      hostSensitiveValues: () => gatherSensitiveValues(fs, this.runner, this.config.command_timeout),
      clock: this.clock,
      log: this.log,
    });
  }

  /**
   * Watches the dump locations until `signal` aborts; new crashes are spooled and delivered at once
   * (rigs poll every second, field hosts every `crashes.poll_interval`).
   */
  async watchCrashes(signal: AbortSignal, rig?: RigSettings): Promise<void> {
    let reporter = this.crashReporter(rig);
    const c = this.config.crashes;
    const flush = singleFlight(async () => void (await this.deliver({ signal, token: rig?.token })), this.log);
    const roots = [...c.abrt_roots, ...c.anaconda_roots, ...c.kdump_roots];
    this.log(`cep-agent: watching ${roots.length} crash locations${rig ? ` in rig mode (${JSON.stringify(rig.labels)})` : ''}`);
    await watchCrashRoots(
      {
        roots,
        pollIntervalMs: rig ? c.rig_poll_interval : c.poll_interval,
        onChange: async () => {
          // After a re-key (erase, reset-id), crashes are built under the new id.
          if ((await this.refreshIdentity()).hostId !== reporter.hostId) reporter = this.crashReporter(rig);
          // Also retries what an earlier run left in the spool.
          if ((await reporter.collect()).length > 0 || (await this.spool.list()).some((e) => e.kind !== 'cep')) void flush.run();
        },
        clock: this.clock,
        log: this.log,
      },
      signal,
    );
    await flush.idle();
  }

  nextSlot(after = this.clock.now()): Slot {
    return this.identity.schedule.nextSlot(after);
  }

  /**
   * Daemon: follows the timetable, sending between slots. Missed slots are caught up for at most
   * one period (a host off for a month sends one week's worth, not four).
   */
  async runDaemon(signal: AbortSignal, onSlot?: (slot: Slot, results: CollectorResult[]) => void): Promise<void> {
    const state = await readRunState(this.config.state_dir);
    let cursor = Math.max(state.lastSlotAt ?? this.clock.now(), this.clock.now() - this.config.report_period);
    while (!signal.aborted) {
      const slot = (await this.refreshIdentity()).schedule.nextSlot(cursor);
      if (slot.at > this.clock.now()) {
        if ((await this.spool.list()).length > 0) await this.deliver({ signal, deadline: slot.at });
        const wait = slot.at - this.clock.now();
        if (wait > 0) await this.clock.sleep(wait, signal);
        // Due now, unless a re-key while waiting moved the slot to the new id's offset: look again.
        continue;
      }
      const names = slot.collectors.filter((n) => isCollectorEnabled(this.config, n));
      const results = await this.collect(names, { record: true });
      await this.enqueue(await this.build(results, { record: true }));
      await writeRunState(this.config.state_dir, { ...(await readRunState(this.config.state_dir)), lastSlotAt: slot.at });
      cursor = slot.at;
      onSlot?.(slot, results);
      await this.deliver({ signal, deadline: this.nextSlot(cursor).at });
    }
  }

  async status(): Promise<AgentStatus> {
    const state = await readRunState(this.config.state_dir);
    const next = this.nextSlot(Math.max(state.lastSlotAt ?? 0, this.clock.now()));
    return {
      hostId: this.hostId,
      enabled: this.config.enabled,
      collectors: state.collectors,
      spool: await this.spool.size(),
      nextDue: { at: new Date(next.at).toISOString(), day: next.day, collectors: next.collectors },
    };
  }
}
