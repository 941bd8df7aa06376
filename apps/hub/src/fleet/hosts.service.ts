import { ForbiddenException, Inject, Injectable, Logger, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, timingSafeEqual } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { HubConfig } from '../../../../libs/config/src';
import type { HostErasureReceipt } from '../../../../libs/contracts/src';
import { activityDay, addDays, contributionDelta, dailyContributions } from '../../../../libs/host-profiles/src';
import { CepReportEntity, HostEntity } from '../../../../libs/storage/src/entities';
import { HUB_CONFIG } from '../config/hub-config.provider';
import { CandidateRepository } from '../grouping/candidate.repository';
import { ReportIndexerService } from '../search/report-indexer.service';
import { FleetRollupRepository } from './fleet-rollup.repository';
import { HostErasureRepository } from './host-erasure.repository';
import { HostRepository } from './host.repository';

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * What the hub holds about one host, shown to and erasable by whoever holds the host's erasure key
 * (its agent) or the admin token.
 */
@Injectable()
export class HostsService {
  private readonly logger = new Logger(HostsService.name);

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hosts: HostRepository,
    private readonly erasure: HostErasureRepository,
    private readonly rollup: FleetRollupRepository,
    private readonly candidates: CandidateRepository,
    private readonly indexer: ReportIndexerService,
  ) {}

  /** 404 when nothing is held (also right after an erasure), 401/403 for a missing or wrong key. */
  private async authorize(m: EntityManager, hostId: string, authorization: string | undefined): Promise<HostEntity | null> {
    const host = await this.hosts.find(m, hostId);
    const crashes = host ? 1 : (await m.query('SELECT 1 FROM crash_report WHERE host_id = $1 LIMIT 1', [hostId])).length;
    const raw = host || crashes ? 1 : (await m.query('SELECT 1 FROM raw_report WHERE host_id = $1 LIMIT 1', [hostId])).length;
    if (!host && !crashes && !raw) throw new NotFoundException(`the hub holds nothing about host ${hostId}`);
    const token = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim();
    if (!token) throw new UnauthorizedException('Authorization: Bearer <erasure key or admin token> is required');
    if (this.config.adminToken && sameSecret(token, this.config.adminToken)) return host;
    const hash = createHash('sha256').update(token).digest('hex');
    if (host?.erasureKeyHash && sameSecret(hash, host.erasureKeyHash)) return host;
    throw new ForbiddenException(`the key is not host ${hostId}'s erasure key`);
  }

  async describe(hostId: string, authorization: string | undefined) {
    const m = this.dataSource.manager;
    const host = await this.authorize(m, hostId, authorization);
    const profiles = await this.hosts.profiles(m, hostId);
    const records = await this.hosts.records(m, hostId);
    const reports = await m.getRepository(CepReportEntity).find({ where: { hostId }, order: { createdAt: 'DESC' }, take: 20 });
    const crashes: Array<{ n: number }> = await m.query('SELECT count(*)::int AS n FROM crash_report WHERE host_id = $1', [hostId]);
    return {
      hostId,
      host: host && {
        firstReportAt: host.firstReportAt,
        lastReportAt: host.lastReportAt,
        reportCount: host.reportCount,
        country: host.country,
        agentVersion: host.agentVersion,
        cloneSignals: host.cloneSignals,
      },
      currentProfile: profiles.find((p) => p.validTo === null) ?? null,
      profileHistory: profiles.map((p) => ({ id: p.id, validFrom: p.validFrom, validTo: p.validTo, hardwareFingerprint: p.hardwareFingerprint })),
      collectorRecords: records,
      recentReports: reports,
      crashReports: crashes[0]?.n ?? 0,
    };
  }

  /**
   * Removes every row about the host and takes its contribution out of the fleet rollup, so the
   * published statistics stay consistent with what is left.
   */
  async erase(hostId: string, authorization: string | undefined): Promise<HostErasureReceipt> {
    let removedReports: string[] = [];
    let attributeIds: number[] = [];
    const deleted = await this.dataSource.transaction(async (m) => {
      await this.hosts.lockHost(m, hostId);
      await this.authorize(m, hostId, authorization);
      const window = this.config.fleet.liveWindowDays;
      const activity = (await this.rollup.activity(m, hostId, null, null)).map(activityDay);
      if (activity.length) {
        const from = activity[0].day;
        const to = addDays(activity[activity.length - 1].day, window - 1);
        await this.rollup.applyDelta(m, contributionDelta(dailyContributions(activity, window, from, to), new Map()));
      }
      const crashes = await this.erasure.crashReports(m, hostId);
      removedReports = crashes.map((c) => c.id);
      attributeIds = await this.erasure.crashAttributeIds(m, removedReports);
      const counts = { ...(await this.erasure.deleteCrashes(m, hostId, removedReports)), ...(await this.erasure.deleteHostRows(m, hostId)) };
      for (const candidateId of new Set(crashes.map((c) => c.candidateId))) await this.candidates.recount(m, candidateId);
      return counts;
    });
    // Values only this host had (a rare board, its country among crashes) go with it.
    Object.assign(deleted, await this.dataSource.transaction((m) => this.erasure.pruneAttributes(m, attributeIds)));
    await this.indexer.removeReports(removedReports);
    this.logger.log({ msg: 'host erased', hostId, deleted });
    return { hostId, erasedAt: new Date().toISOString(), deleted };
  }
}
