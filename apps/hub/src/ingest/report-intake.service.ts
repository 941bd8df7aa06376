import { BadRequestException, HttpException, Inject, Injectable, Logger, PayloadTooLargeException, UnprocessableEntityException } from '@nestjs/common';
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
  ReportLabelsSchema,
  UReportV2,
  UReportV2Schema,
} from '../../../../libs/contracts/src';
import { PROBLEM_TYPE_SPECS, PROBLEM_TYPES, stackElementOf } from '../../../../libs/crash-reports/src/problem-types';
import { minimiseUReport } from '../../../../libs/crash-reports/src/crash-minimisation';
import { bthashOf } from '../../../../libs/crash-reports/src/ureport-to-crash';
import { CrashIdentity, problemDirIdentity } from '../../../../libs/crash-reports/src/crash-identity';
import { describeError } from '../../../../libs/observability/src/error-description';
import { JOB_FOR_REPORT_KIND, JobQueue, QUEUES } from '../../../../libs/queue/src';
import { ArchiveRejectedError, readArchive, toProblemDirectory } from '../../../../libs/storage/src/archive';
import type { RawReportKind } from '../../../../libs/storage/src/entities';
import { HUB_CONFIG } from '../config/hub-config.provider';
import { HostRepository } from '../fleet/host.repository';
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
}

export interface IntakeResult {
  id: string;
  /** false when the report id was already stored (a retried upload). */
  created: boolean;
  bthash?: string;
  problemType?: string;
}

/** Limits exceeded are 413; every other refusal of an archive is the client's malformed input. */
function archiveHttpError(error: ArchiveRejectedError): HttpException {
  const message = `archive rejected (${error.code}): ${error.message}`;
  return error.code === 'too-large' || error.code === 'too-many-entries'
    ? new PayloadTooLargeException(message)
    : new BadRequestException(message);
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

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
    const result = await this.store('ureport', json, gzipSync(json), 'gzip', meta, { bthash });
    return { ...result, bthash, problemType: ureport.problem.type };
  }

  /** `report` was validated by the route's schema. */
  async acceptAgentCrash(report: AgentCrashReport, country: string | null): Promise<IntakeResult> {
    const { reportId, hostId, labels } = report;
    const ureport = minimiseUReport(report.ureport, this.config.machineIdKey);
    const json = Buffer.from(JSON.stringify({ ...report, ureport }));
    const result = await this.store('ureport', json, gzipSync(json), 'gzip', { source: 'agent', reportId, hostId, labels, country });
    return { ...result, bthash: bthashOf(ureport.problem), problemType: ureport.problem.type };
  }

  async acceptProblemDirArchive(archive: Buffer, meta: IntakeMeta): Promise<IntakeResult> {
    if (!archive?.length) throw new BadRequestException('empty body: expected a .tar.gz, .tar.xz or .tar.bz2 problem directory');
    let problemType: string;
    let identity: CrashIdentity;
    try {
      const dir = toProblemDirectory(await readArchive(archive, this.config.limits.archive));
      problemType = dir.text('type')!.trim();
      if (!PROBLEM_TYPES.includes(problemType)) {
        throw new UnprocessableEntityException(
          `unknown problem type '${problemType}': the hub groups ${PROBLEM_TYPES.join(', ')}`,
        );
      }
      if (!stackElementOf(problemType, (name) => dir.text(name))) {
        throw new UnprocessableEntityException(
          `${problemType} problem directory has no stack: expected one of ${PROBLEM_TYPE_SPECS[problemType].stackElements.join(', ')}`,
        );
      }
      identity = problemDirIdentity(dir, sha256(archive), meta.hostId);
    } catch (error) {
      throw error instanceof ArchiveRejectedError ? archiveHttpError(error) : error;
    }
    const result = await this.store('problem-dir', archive, archive, 'archive', meta, { identity });
    return { ...result, problemType };
  }

  /**
   * CEP `report.tar.gz` from the agent: a safe archive with a valid manifest whose report and
   * host ids agree with the headers, and every collector file it lists. Processing is separate.
   */
  async acceptCepReport(archive: Buffer, meta: IntakeMeta): Promise<IntakeResult & { hostIdShared: boolean }> {
    if (!archive?.length) throw new BadRequestException('empty body: expected report.tar.gz');
    let manifest: ReportManifest;
    try {
      const entries = await readArchive(archive, this.config.limits.archive);
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
    } catch (error) {
      throw error instanceof ArchiveRejectedError ? archiveHttpError(error) : error;
    }
    if (meta.reportId && meta.reportId !== manifest.reportId) {
      throw new BadRequestException('X-Report-Id does not match the manifest reportId');
    }
    if (meta.hostId && meta.hostId !== manifest.hostId) {
      throw new BadRequestException('X-Host-Id does not match the manifest hostId');
    }
    const stored = await this.store('cep', archive, archive, 'archive', { ...meta, reportId: manifest.reportId, hostId: manifest.hostId });
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
      occurrences = Number(rawOccurrences);
      if (!Number.isInteger(occurrences) || occurrences < 1) throw new BadRequestException('X-Occurrences must be a positive integer');
    }
    return { source, reportId, hostId, labels, occurrences };
  }

  private async store(
    kind: RawReportKind,
    original: Buffer,
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
      contentSha256: sha256(original),
      hostId: meta.hostId,
      labels: meta.labels,
      occurrences: meta.occurrences,
      country: meta.country ?? null,
      bthash: crash.bthash ?? null,
    };
    const { id, created } = crash.identity
      ? await this.crashIdentity.storeOccurrence(crash.identity, report, meta.occurrences)
      : { id: report.id, created: await this.rawReports.insertOnce(report) };
    this.metrics.outcome(created ? 'accepted' : 'duplicate', { kind });
    if (created) {
      this.logger.log({ msg: 'report stored', reportId: id, kind, source: meta.source, bytes: payload.length });
      await this.enqueue(id, kind);
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
