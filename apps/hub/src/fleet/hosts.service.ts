import { Inject, Injectable, Logger, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { HubConfig } from '../../../../libs/config/src';
import type { HostErasureReceipt } from '../../../../libs/contracts/src';
import { activityDay, addDays, contributionDelta, dailyContributions } from '../../../../libs/host-profiles/src';
import { CepReportEntity, HostEntity } from '../../../../libs/storage/src/entities';
import { AuditTrail } from '../access/audit-trail.service';
import { sameSecret, secretHash } from '../access/credentials';
import { ANONYMOUS, hasRole, Principal } from '../access/principal';
import { HUB_CONFIG } from '../config/hub-config.provider';
import { CandidateRepository } from '../grouping/candidate.repository';
import { ReportIndexerService } from '../search/report-indexer.service';
import { FleetRollupRepository } from './fleet-rollup.repository';
import { HostErasureRepository } from './host-erasure.repository';
import { HostRepository } from './host.repository';

/**
 * How the audit trail names a host: the sha256 of its id, so an erasure leaves the id itself nowhere,
 * while whoever knows the id can still find the record.
 */
export const erasedHostRef = (hostId: string) => `sha256:${secretHash(hostId)}`;

/** One answer for a host that is unknown and for a key that is not the host's: no existence oracle. */
const notYours = (hostId: string) => new NotFoundException(`nothing held about host ${hostId} for this key`);

/**
 * What the hub holds about one host, shown to and erasable by whoever holds the host's erasure key
 * (its agent) or an admin.
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
    private readonly audit: AuditTrail,
  ) {}

  /**
   * The principal acting on the host: an admin, or the host itself when the bearer is its erasure key.
   * 401 without any credential; otherwise unknown hosts and wrong keys get the same 404.
   */
  private async authorize(m: EntityManager, hostId: string, principal: Principal, authorization: string | undefined): Promise<{ host: HostEntity | null; actor: Principal }> {
    const host = await this.hosts.find(m, hostId);
    if (hasRole(principal, 'admin')) {
      if (!host && !(await this.hosts.holdsAnything(m, hostId))) throw notYours(hostId);
      return { host, actor: principal };
    }
    const key = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (!key) throw new UnauthorizedException('Authorization: Bearer <the host\'s erasure key> is required');
    if (!host?.erasureKeyHash || !sameSecret(secretHash(key), host.erasureKeyHash)) throw notYours(hostId);
    return { host, actor: { kind: 'host-key', id: erasedHostRef(hostId) } };
  }

  async describe(hostId: string, principal: Principal, authorization: string | undefined) {
    const m = this.dataSource.manager;
    const { host } = await this.authorize(m, hostId, principal, authorization);
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
   * Replaces the host's erasure-key hash; only a request with the current key may (not even an admin:
   * the key is the host's own, and a takeover must need it).
   */
  async rotateKey(hostId: string, authorization: string | undefined, erasureKeyHash: string): Promise<{ hostId: string; rotatedAt: string }> {
    await this.dataSource.transaction(async (m) => {
      await this.hosts.lockHost(m, hostId);
      // Checked as if anonymous, so an admin role does not stand in for the key.
      const { actor } = await this.authorize(m, hostId, ANONYMOUS, authorization);
      await this.hosts.setErasureKeyHash(m, hostId, erasureKeyHash);
      await this.audit.record(actor, 'host.rotate-key', { type: 'host', id: erasedHostRef(hostId) }, null, { rotated: true }, m);
    });
    return { hostId, rotatedAt: new Date().toISOString() };
  }

  /**
   * Removes every row about the host and takes its contribution out of the fleet rollup, so the
   * published statistics stay consistent with what is left.
   */
  async erase(hostId: string, principal: Principal, authorization: string | undefined): Promise<HostErasureReceipt> {
    let removedReports: string[] = [];
    let attributeIds: number[] = [];
    const deleted = await this.dataSource.transaction(async (m) => {
      await this.hosts.lockHost(m, hostId);
      const { actor } = await this.authorize(m, hostId, principal, authorization);
      const window = this.config.fleet.liveWindowDays;
      const activity = (await this.rollup.activity(m, hostId, null, null)).map(activityDay);
      if (activity.length) {
        const from = activity[0].day;
        const to = addDays(activity[activity.length - 1].day, window - 1);
        await this.rollup.applyDelta(m, contributionDelta(dailyContributions(activity, window, from, to), new Map()));
      }
      const crashes = await this.erasure.crashReports(m, hostId);
      removedReports = crashes.map((c) => c.id);
      await this.erasure.lockCandidates(m, [...new Set(crashes.map((c) => c.candidateId))]);
      attributeIds = await this.erasure.crashAttributeIds(m, removedReports);
      const counts = { ...(await this.erasure.deleteCrashes(m, hostId, removedReports)), ...(await this.erasure.deleteHostRows(m, hostId)) };
      for (const candidateId of new Set(crashes.map((c) => c.candidateId))) await this.candidates.recount(m, candidateId);
      await this.audit.record(actor, 'host.erase', { type: 'host', id: erasedHostRef(hostId) }, null, { deleted: counts }, m);
      return counts;
    });
    // Values only this host had (a rare board, its country among crashes) go with it.
    Object.assign(deleted, await this.dataSource.transaction((m) => this.erasure.pruneAttributes(m, attributeIds)));
    await this.indexer.removeReports(removedReports);
    this.logger.log({ msg: 'host erased', hostId, deleted });
    return { hostId, erasedAt: new Date().toISOString(), deleted };
  }
}
