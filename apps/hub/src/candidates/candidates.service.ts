import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { HubConfig } from '../../../../libs/config/src';
import type { CandidateQuery } from '../../../../libs/contracts/src';
import { ROLES, type Role } from '../access/access-policy';
import { HUB_CONFIG } from '../config/hub-config.provider';
import { CandidateDetailRepository } from './candidate-detail.repository';
import { CandidateSearch } from '../../../../libs/search/src';
import { dayOf, liveHostsIn, rankOverRepresentation } from '../../../../libs/host-profiles/src';
import { FleetRollupRepository } from '../fleet/fleet-rollup.repository';
import { CandidateHardwareRepository } from './candidate-hardware.repository';

const DAY_MS = 86_400_000;

/** E-mail attachments name people: only QA and admins see them. */
export function visibleTrackerLinks<T extends { type: string }>(links: T[], role: Role | undefined): T[] {
  const mayReadEmail = role !== undefined && ROLES.indexOf(role) >= ROLES.indexOf('qa');
  return mayReadEmail ? links : links.filter((l) => l.type !== 'email');
}

@Injectable()
export class CandidatesService {
  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly search: CandidateSearch,
    private readonly detail: CandidateDetailRepository,
    private readonly hardwareCounts: CandidateHardwareRepository,
    private readonly rollup: FleetRollupRepository,
  ) {}

  /** The search backend ranks; PostgreSQL, the source of truth, supplies the rows. */
  async list(query: CandidateQuery) {
    const page = await this.search.search(query, new Date(Date.now() - this.config.grouping.hotWindowDays * DAY_MS));
    const rows = new Map((await this.detail.findCandidates(page.items.map((h) => h.id))).map((c) => [c.id, c]));
    return {
      total: page.total,
      items: page.items
        .filter((hit) => rows.has(hit.id))
        .map((hit) => {
          const c = rows.get(hit.id)!;
          return {
            id: c.id,
            family: c.family,
            component: c.component,
            signatureText: c.signatureText,
            exactHash: c.exactHash,
            reportCount: c.reportCount,
            occurrenceCount: c.occurrenceCount,
            hostCount: c.hostCount,
            firstSeen: c.firstSeen,
            lastSeen: c.lastSeen,
            matchedReports: hit.matchedReports,
            matchedHosts: hit.matchedHosts,
            hotCount: hit.hotCount,
          };
        }),
    };
  }

  /** `role`: the caller's; e-mail addresses clients attached to a bthash are shown from `qa` up. */
  async get(id: string, role?: Role) {
    const candidate = await this.detail.findCandidate(id);
    if (!candidate) throw new NotFoundException(`candidate ${id} not found`);
    const [reports, versions, osReleases, kernels, architectures, labels, hashes, rules, trackerLinks] = await Promise.all([
      this.detail.reports(id, 100),
      this.detail.countBy(id, 'package_version'),
      this.detail.countBy(id, 'os_release'),
      this.detail.countBy(id, 'kernel'),
      this.detail.countBy(id, 'architecture'),
      this.detail.labelCounts(id),
      this.detail.hashes(id),
      this.detail.rules(id),
      this.detail.trackerLinks(id),
    ]);
    return {
      ...candidate,
      exemplars: undefined,
      counts: { byPackageVersion: versions, byOsRelease: osReleases, byKernel: kernels, byArchitecture: architectures, byLabel: labels },
      hashes,
      rules,
      trackerLinks: visibleTrackerLinks(trackerLinks, role),
      reports: reports.map((r) => ({
        id: r.id,
        problemType: r.problemType,
        crashedAt: r.crashedAt,
        packageVersion: r.packageVersion,
        osRelease: r.osRelease,
        kernel: r.kernel,
        labels: r.labels,
        occurrences: r.occurrences,
        grouping: r.grouping,
        signatureText: r.signatureText,
        hardware: r.hardware,
        hostId: r.hostId,
        hostProfileId: r.hostProfileId,
        country: r.country,
        hardwareAttrs: r.hardwareAttrs,
      })),
    };
  }

  /**
   * The candidate's hosts over each hardware attribute beside today's live fleet, most
   * over-represented values first: what sets the crashing hosts apart from the fleet.
   */
  async hardware(id: string, now = new Date()) {
    const candidate = await this.detail.findCandidate(id);
    if (!candidate) throw new NotFoundException(`candidate ${id} not found`);
    const day = dayOf(now);
    const [cluster, fleetRows] = await Promise.all([this.hardwareCounts.attributeHosts(id), this.rollup.allRows(day)]);
    const fleetLive = liveHostsIn(fleetRows);
    const rows = rankOverRepresentation({
      cluster: cluster.cells,
      clusterHostsKnown: Object.fromEntries(cluster.known.map((k) => [k.attribute, k.hosts])),
      fleet: fleetRows.filter((r) => r.attribute !== 'live'),
      fleetLive,
    });
    const round = (x: number | null) => (x === null ? null : Math.round(x * 10_000) / 10_000);
    return {
      candidateId: candidate.mergedIntoId ?? candidate.id,
      hosts: cluster.hosts,
      fleet: { day, liveServers: fleetLive },
      rows: rows.map((r) => ({
        ...r,
        clusterShare: round(r.clusterShare),
        fleetShare: round(r.fleetShare),
        difference: round(r.difference),
        lift: round(r.lift),
      })),
    };
  }

  async byHash(hash: string) {
    const ids = await this.detail.candidatesByHash(hash);
    if (!ids.length) throw new NotFoundException(`no candidate has a report with hash ${hash}`);
    return { hash, candidateIds: ids };
  }
}
