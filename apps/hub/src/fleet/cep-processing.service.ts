import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { HubConfig } from '../../../../libs/config/src';
import { describeZodError } from '../../../../libs/contracts/src';
import { CEP_MANIFEST_FILE, ReportManifest, reportManifestSchema } from '../../../../libs/contracts/src/cep';
import {
  ActivityDay,
  activityDay,
  addDays,
  affectedRange,
  buildHostProfile,
  cloneSignals,
  CollectorRecord,
  contributionDelta,
  dailyContributions,
  dayOf,
  hardwareFingerprint,
  latestValidData,
  profileAttributes,
  profileDigest,
  readCollectorRecords,
} from '../../../../libs/host-profiles/src';
import { JobContext, PermanentJobError } from '../../../../libs/queue/src';
import { ArchiveRejectedError, readArchive } from '../../../../libs/storage/src/archive';
import { RawReportEntity } from '../../../../libs/storage/src/entities';
import { HUB_CONFIG } from '../config/hub-config.provider';
import { RawReportRepository } from '../ingest/raw-report.repository';
import { ReportIndexerService } from '../search/report-indexer.service';
import { CrashLinkService } from './crash-link.service';
import { ActivityRow, FleetRollupRepository } from './fleet-rollup.repository';
import { HostRepository } from './host.repository';

class CepReportInvalid extends Error {}

/**
 * Turns a stored report.tar.gz into collector records, the host's profile history, its activity
 * and the fleet rollup, in one transaction per report.
 */
@Injectable()
export class CepProcessingService {
  private readonly logger = new Logger(CepProcessingService.name);

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rawReports: RawReportRepository,
    private readonly hosts: HostRepository,
    private readonly rollup: FleetRollupRepository,
    private readonly crashLinks: CrashLinkService,
    private readonly indexer: ReportIndexerService,
  ) {}

  private async decode(raw: RawReportEntity): Promise<{ manifest: ReportManifest; records: CollectorRecord[] }> {
    const entries = await readArchive(raw.payload, this.config.limits.archive);
    const manifestBytes = entries.get(CEP_MANIFEST_FILE);
    if (!manifestBytes) throw new CepReportInvalid(`report.tar.gz has no ${CEP_MANIFEST_FILE}`);
    let json: unknown;
    try {
      json = JSON.parse(manifestBytes.toString());
    } catch (error) {
      throw new CepReportInvalid(`${CEP_MANIFEST_FILE} is not valid JSON: ${(error as Error).message}`);
    }
    const parsed = reportManifestSchema.safeParse(json);
    if (!parsed.success) throw new CepReportInvalid(`invalid ${CEP_MANIFEST_FILE}: ${describeZodError(parsed.error)}`);
    return { manifest: parsed.data, records: readCollectorRecords(parsed.data, entries) };
  }

  async process(reportId: string, job: JobContext): Promise<'processed' | 'rejected' | 'skipped'> {
    await this.rawReports.countAttempt(reportId);
    let relinked: string[] = [];
    try {
      const outcome = await this.dataSource.transaction(async (m) => {
        const raw = await this.rawReports.lockQueued(m, reportId);
        if (!raw) return 'skipped';
        if (await this.hosts.cepReportExists(m, reportId)) {
          await this.rawReports.finish(m, reportId, 'processed', null);
          return 'skipped';
        }
        let decoded: { manifest: ReportManifest; records: CollectorRecord[] };
        try {
          decoded = await this.decode(raw);
        } catch (error) {
          if (!(error instanceof CepReportInvalid || error instanceof ArchiveRejectedError)) throw error;
          await this.rawReports.finish(m, reportId, 'rejected', (error as Error).message);
          this.logger.warn({ msg: 'CEP report rejected', reportId, reason: (error as Error).message });
          return 'rejected';
        }
        relinked = await this.apply(m, raw, decoded.manifest, decoded.records);
        await this.rawReports.finish(m, reportId, 'processed', null);
        const invalid = decoded.records.filter((r) => r.outcome === 'invalid').map((r) => r.name);
        this.logger.log({ msg: 'CEP report processed', reportId, collectors: decoded.records.length, invalid, relinkedCrashes: relinked.length });
        return 'processed';
      });
      await this.indexer.indexReports(relinked);
      return outcome;
    } catch (error) {
      this.logger.warn({ msg: 'CEP processing failed', reportId, attempt: job.attempt, final: job.isFinalAttempt, error: String(error) });
      if (job.isFinalAttempt) {
        await this.rawReports.rejectIfQueued(reportId, `processing failed: ${String(error)}`);
        throw new PermanentJobError(String(error));
      }
      throw error;
    }
  }

  /** Returns the crash reports whose profile link changed. */
  private async apply(m: EntityManager, raw: RawReportEntity, manifest: ReportManifest, records: CollectorRecord[]): Promise<string[]> {
    const hostId = manifest.hostId;
    // A report cannot be from the future; a spooled one counts from when it was made.
    const reportAt = new Date(Math.min(Date.parse(manifest.createdAt), raw.receivedAt.getTime()));
    await this.hosts.lockHost(m, hostId);
    const host = await this.hosts.upsertHost(m, {
      id: hostId,
      reportAt,
      country: raw.country,
      agentVersion: manifest.agentVersion,
      erasureKeyHash: manifest.erasureKeyHash ?? null,
    });
    const sequencesSeen = await this.hosts.sequencesSeen(m, hostId, manifest.sequence);
    await this.hosts.saveNewerRecords(m, hostId, raw.id, records);

    const profile = buildHostProfile(latestValidData(await this.hosts.records(m, hostId)));
    const digest = profileDigest(profile);
    const fingerprint = hardwareFingerprint(profile);
    const current = host.currentProfileId ? await this.hosts.profile(m, host.currentProfileId) : null;
    let profileId = current?.id ?? null;
    let relinked: string[] = [];
    const changed = !current || current.digest !== digest;
    // Hardware can only alternate when the profile changed; the history is read only then.
    const history = current && changed ? (await this.hosts.profileVersions(m, hostId)).map((p) => p.hardwareFingerprint) : [];
    const signals = cloneSignals({
      history,
      next: fingerprint,
      sequence: manifest.sequence,
      sequencesSeen,
      keyHash: manifest.erasureKeyHash,
      hostKeyHash: host.erasureKeyHash,
    });
    const attributes = profileAttributes(profile);
    if (changed) {
      // A late report cannot rewrite history: its profile starts no earlier than the current one.
      const from = current && reportAt < current.validFrom ? current.validFrom : reportAt;
      profileId = await this.hosts.startProfileVersion(m, hostId, current?.id ?? null, from, {
        digest,
        hardwareFingerprint: fingerprint,
        profile: profile as Record<string, unknown>,
        attributes,
      });
      relinked = await this.crashLinks.relinkHost(m, hostId, current ? from : null);
    }
    if (signals.reasons.length) {
      const detectedAt = new Date().toISOString();
      await this.hosts.addCloneSignals(m, hostId, signals.reasons.map((reason) => ({ reason, reportId: raw.id, detectedAt })));
      this.logger.warn({ msg: 'host id shared by several machines', hostId, reasons: signals.reasons });
    }

    await this.updateRollup(m, hostId, dayOf(reportAt), { profileId: profileId!, attributes, country: raw.country });
    await this.hosts.insertCepReport(m, {
      id: raw.id,
      hostId,
      createdAt: new Date(manifest.createdAt),
      receivedAt: raw.receivedAt,
      agentVersion: manifest.agentVersion,
      sequence: manifest.sequence ?? null,
      country: raw.country,
      profileId,
      collectors: records.map((r) => ({
        name: r.name,
        version: r.version,
        agentStatus: r.agentStatus,
        outcome: r.outcome,
        ...(r.reason ? { reason: r.reason } : {}),
      })),
    });
    return relinked;
  }

  /** The host's contribution to the days around `day`, before and after this report; the difference is applied. */
  private async updateRollup(m: EntityManager, hostId: string, day: string, today: Omit<ActivityRow, 'day'>): Promise<void> {
    const window = this.config.fleet.liveWindowDays;
    const range = affectedRange(day, window);
    const rows = await this.rollup.activity(m, hostId, addDays(range.from, -window + 1), range.to);
    const previous = rows.find((r) => r.day === day);
    // As recordActivity stores it: a report without a known country keeps the day's earlier one.
    const updated: ActivityRow = { day, ...today, country: today.country ?? previous?.country ?? null };
    await this.rollup.recordActivity(m, hostId, day, today.profileId, today.country);
    const toDays = (list: ActivityRow[]): ActivityDay[] => list.map(activityDay);
    const delta = contributionDelta(
      dailyContributions(toDays(rows), window, range.from, range.to),
      dailyContributions(toDays([...rows.filter((r) => r.day !== day), updated]), window, range.from, range.to),
    );
    await this.rollup.applyDelta(m, delta);
  }
}
