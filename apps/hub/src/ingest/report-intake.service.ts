import { BadRequestException, ConflictException, Inject, Injectable, Logger, PayloadTooLargeException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { DataSource } from 'typeorm';
import type { HubConfig } from '../../../../libs/config/src';
import {
  CEP_MANIFEST_FILE,
  ReportManifest,
  reportManifestSchema,
} from '../../../../libs/contracts/src/cep';
import {
  AgentCrashReport,
  describeZodError,
  parseOccurrences,
  ReportLabelsSchema,
  UReportV2,
  UReportV2Schema,
} from '../../../../libs/contracts/src';
import { minimiseUReport } from '../../../../libs/crash-reports/src/crash-minimisation';
import { bthashOf } from '../../../../libs/crash-reports/src/ureport-to-crash';
import type { CrashIdentity } from '../../../../libs/crash-reports/src/crash-identity';
import { describeError } from '../../../../libs/observability/src/error-description';
import { JOB_FOR_REPORT_KIND, JobQueue, QUEUES } from '../../../../libs/queue/src';
import type { CompressedSource } from '../../../../libs/storage/src/archive';
import type { RawReportKind } from '../../../../libs/storage/src/entities';
import { HUB_CONFIG } from '../config/hub-config.provider';
import { HostRepository } from '../fleet/host.repository';
import { ArchiveWorkerPool } from '../limits/archive-worker-pool.service';
import { HubMetrics } from '../metrics/hub-metrics.service';
import { CrashIdentityService } from './crash-identity.service';
import { NewRawReport, RawReportRepository } from './raw-report.repository';

export interface IntakeMeta {
  source: 'faf' | 'upload' | 'agent';
  reportId?: string;
  hostId?: string;
  labels?: Record<string, string>;
  /** Occurrences this upload stands for, when the client says so (an agent's repeat of a known crash). */
  occurrences?: number;
  /** Country of the sender's address (SenderCountryService); the address is not passed on. */
  country?: string | null;
  /** Entries left out of a problem directory while it streamed in ("skipped: <name>, <size>"). */
  skipped?: string[];
  /** Stored but not processed (a core without a stack): why. */
  waitingReason?: string;
}

export interface IntakeResult {
  id: string;
  /** false when the report id was already stored (a retried upload). */
  created: boolean;
  bthash?: string;
  problemType?: string;
  skipped?: string[];
  waitingReason?: string;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Validates an upload just enough to refuse bad input with a clear 4xx, stores it raw,
 * then enqueues it. The 202 is only answered once the row is committed.
 */
@Injectable()
export class ReportIntakeService {
  private readonly logger = new Logger(ReportIntakeService.name);

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly rawReports: RawReportRepository,
    private readonly queue: JobQueue,
    private readonly hosts: HostRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly metrics: HubMetrics,
    private readonly crashIdentity: CrashIdentityService,
    private readonly archives: ArchiveWorkerPool,
  ) {}

  parseUReport(body: unknown): UReportV2 {
    let json = body;
    if (Buffer.isBuffer(body) || typeof body === 'string') {
      const text = body.toString();
      if (Buffer.byteLength(text) > this.config.limits.maxUReportBytes) {
        throw new PayloadTooLargeException(`uReport is larger than ${this.config.limits.maxUReportBytes} bytes`);
      }
      try {
        json = JSON.parse(text);
      } catch (error) {
        throw new BadRequestException(`uReport is not valid JSON: ${(error as Error).message}`);
      }
    }
    // Version 1 reports (numbered, or unnumbered with a top-level `type`) predate libreport 2.1.
    const version = json && typeof json === 'object' ? (json as { ureport_version?: unknown }).ureport_version : undefined;
    if (version === 0 || version === 1 || (version === undefined && json && typeof json === 'object' && 'type' in json)) {
      throw new BadRequestException('ureport_version 1 is obsolete: send uReport version 2 (libreport >= 2.1)');
    }
    const parsed = UReportV2Schema.safeParse(json);
    if (!parsed.success) throw new BadRequestException(`invalid uReport: ${describeZodError(parsed.error)}`);
    return parsed.data;
  }

  async acceptUReport(body: unknown, meta: IntakeMeta): Promise<IntakeResult> {
    // auth.hostname and every other auth item go before anything is stored; the machine id is keyed.
    const ureport = minimiseUReport(this.parseUReport(body), this.config.machineIdKey);
    const json = Buffer.from(JSON.stringify(ureport));
    const bthash = bthashOf(ureport.problem);
    // Kept so that the problem dir reporter-upload sends after it can claim it as the same crash.
    const result = await this.store('ureport', sha256(json), gzipSync(json), 'gzip', meta, { bthash });
    return { ...result, bthash, problemType: ureport.problem.type };
  }

  /** `report` was validated by the route's schema. */
  async acceptAgentCrash(report: AgentCrashReport, country: string | null): Promise<IntakeResult> {
    const { reportId, hostId, labels } = report;
    const ureport = minimiseUReport(report.ureport, this.config.machineIdKey);
    const json = Buffer.from(JSON.stringify({ ...report, ureport }));
    const result = await this.store('ureport', sha256(json), gzipSync(json), 'gzip', { source: 'agent', reportId, hostId, labels, country });
    return { ...result, bthash: bthashOf(ureport.problem), problemType: ureport.problem.type };
  }

  /**
   * A problem directory of `bytes`, in memory or spooled to disk. Inflated on a worker thread;
   * cores and large unused blobs are skipped, the rest is re-packed and stored. A core without a
   * stack is stored as waiting for a backtrace. Its content identity is the re-packed kept entries
   * (names, order, bytes): a client re-building the same directory, with other compression or
   * timestamps, sends the same content; its crash identity (see CrashIdentityService) makes a
   * re-send add only ABRT's new occurrences.
   */
  async acceptProblemDirArchive(archive: CompressedSource, bytes: number, meta: IntakeMeta): Promise<IntakeResult> {
    if (!bytes) throw new BadRequestException('empty body: expected a .tar.gz, .tar.xz or .tar.bz2 problem directory');
    const { archive: limits, upload } = this.config.limits;
    const dir = await this.archives.problemDir(archive, bytes, limits, upload.maxStreamBytes, meta.hostId);
    const result = await this.store(
      'problem-dir',
      sha256(dir.packed),
      dir.packed,
      'archive',
      { ...meta, skipped: dir.skipped, waitingReason: dir.waitingReason },
      { identity: dir.identity },
    );
    return { ...result, problemType: dir.problemType, skipped: dir.skipped, waitingReason: dir.waitingReason };
  }

  /**
   * CEP `report.tar.gz` from the agent: a safe archive with a valid manifest whose report and
   * host ids agree with the headers, and every collector file it lists. Processing is separate.
   */
  async acceptCepReport(archive: Buffer, meta: IntakeMeta): Promise<IntakeResult & { hostIdShared: boolean }> {
    if (!archive?.length) throw new BadRequestException('empty body: expected report.tar.gz');
    let manifest: ReportManifest;
    {
      if (archive.length > this.config.limits.archive.maxCompressedBytes) {
        throw new PayloadTooLargeException(`upload is ${archive.length} bytes (limit ${this.config.limits.archive.maxCompressedBytes})`);
      }
      const entries = await this.archives.entries(archive, this.config.limits.archive);
      const raw = entries.get(CEP_MANIFEST_FILE);
      if (!raw) throw new BadRequestException(`report.tar.gz has no ${CEP_MANIFEST_FILE}`);
      let json: unknown;
      try {
        json = JSON.parse(raw.toString());
      } catch (error) {
        throw new BadRequestException(`${CEP_MANIFEST_FILE} is not valid JSON: ${(error as Error).message}`);
      }
      const parsed = reportManifestSchema.safeParse(json);
      if (!parsed.success) throw new BadRequestException(`invalid ${CEP_MANIFEST_FILE}: ${describeZodError(parsed.error)}`);
      manifest = parsed.data;
      const missing = manifest.collectors.filter((c) => !entries.has(c.file)).map((c) => c.file);
      if (missing.length) throw new BadRequestException(`report.tar.gz lacks collector files: ${missing.join(', ')}`);
    }
    if (meta.reportId && meta.reportId !== manifest.reportId) {
      throw new BadRequestException('X-Report-Id does not match the manifest reportId');
    }
    if (meta.hostId && meta.hostId !== manifest.hostId) {
      throw new BadRequestException('X-Host-Id does not match the manifest hostId');
    }
    const stored = await this.store('cep', sha256(archive), archive, 'archive', { ...meta, reportId: manifest.reportId, hostId: manifest.hostId });
    // Checked against processed reports only: of two clones sending at once, the later one learns it
    // at its next report, and the worker flags the host meanwhile (cloneSignals).
    const hostIdShared =
      manifest.sequence !== undefined &&
      (await this.hosts.sequenceTakenByAnother(this.dataSource.manager, manifest.hostId, manifest.sequence, manifest.reportId));
    if (hostIdShared) this.logger.warn({ msg: 'host id used by two installations; the agent is told to take a new one', hostId: manifest.hostId });
    return { ...stored, hostIdShared };
  }

  parseMetaHeaders(headers: Record<string, string | string[] | undefined>, source: IntakeMeta['source']): IntakeMeta {
    const one = (name: string) => {
      const v = headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const reportId = one('x-report-id');
    const hostId = one('x-host-id');
    if (reportId && !UUID.test(reportId)) throw new BadRequestException('X-Report-Id must be a UUID');
    if (hostId && !UUID.test(hostId)) throw new BadRequestException('X-Host-Id must be a UUID');
    let labels: Record<string, string> | undefined;
    const rawLabels = one('x-report-labels');
    if (rawLabels) {
      let json: unknown;
      try {
        json = JSON.parse(rawLabels);
      } catch {
        throw new BadRequestException('X-Report-Labels must be a JSON object');
      }
      const parsed = ReportLabelsSchema.safeParse(json);
      if (!parsed.success) throw new BadRequestException(`X-Report-Labels: ${describeZodError(parsed.error)}`);
      labels = parsed.data;
    }
    const rawOccurrences = one('x-occurrences');
    let occurrences: number | undefined;
    if (rawOccurrences !== undefined) {
      const parsed = parseOccurrences(rawOccurrences);
      if ('problem' in parsed) throw new BadRequestException(`X-Occurrences ${parsed.problem}`);
      occurrences = parsed.value;
    }
    return { source, reportId, hostId, labels, occurrences };
  }

  /**
   * Stores once per id. The same id again with the same content is an idempotent duplicate; with
   * other content it is a conflict the client is told about (409), never silently dropped.
   */
  private async store(
    kind: RawReportKind,
    contentSha256: string,
    payload: Buffer,
    encoding: string,
    meta: IntakeMeta,
    crash: { identity?: CrashIdentity; bthash?: string } = {},
  ): Promise<IntakeResult> {
    const report: NewRawReport = {
      id: meta.reportId ?? randomUUID(),
      kind,
      source: meta.source,
      encoding,
      payload,
      contentSha256,
      hostId: meta.hostId,
      labels: meta.labels,
      occurrences: meta.occurrences,
      country: meta.country ?? null,
      bthash: crash.bthash ?? null,
      skippedEntries: meta.skipped,
      waitingReason: meta.waitingReason,
    };
    const { id, created } = crash.identity
      ? await this.crashIdentity.storeOccurrence(crash.identity, report, meta.occurrences)
      : { id: report.id, created: await this.rawReports.insertOnce(report) };
    if (!created && id === report.id) {
      const stored = await this.rawReports.contentSha256Of(id);
      if (stored !== undefined && stored !== contentSha256) {
        throw new ConflictException(`report ${id} was already received with different content; send new content under a new report id`);
      }
    }
    this.metrics.outcome(created ? 'accepted' : 'duplicate', { kind });
    if (created) {
      if (meta.skipped?.length) this.metrics.outcome('skipped_entry', { kind }, meta.skipped.length);
      if (meta.waitingReason) this.metrics.outcome('waiting_for_backtrace', { kind });
      this.logger.log({ msg: meta.waitingReason ? 'report stored, waiting for a backtrace' : 'report stored', reportId: id, kind, source: meta.source, bytes: payload.length });
      if (!meta.waitingReason) await this.enqueue(id, kind);
    }
    return { id, created };
  }

  /** Enqueue failures are not the client's problem: the report is stored and the recovery sweep picks it up. */
  async enqueue(id: string, kind: RawReportKind, recovering = false): Promise<void> {
    const job = JOB_FOR_REPORT_KIND[kind];
    try {
      if (recovering) await this.queue.requeue(QUEUES.reports, job, { reportId: id });
      else await this.queue.enqueue(QUEUES.reports, job, { reportId: id });
    } catch (error) {
      this.logger.warn({ msg: 'enqueue failed; recovery sweep will retry', reportId: id, error: describeError(error) });
    }
  }
}
