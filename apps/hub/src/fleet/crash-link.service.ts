import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { HardwareFacts } from '../../../../libs/crash-reports/src/crash-input';
import { crashAttributes } from '../../../../libs/host-profiles/src';
import type { HostProfileEntity } from '../../../../libs/storage/src/entities';
import { HostRepository, ProfileVersion } from './host.repository';

export interface CrashHostFacts {
  hostId: string | null;
  crashedAt: Date;
  hardware: HardwareFacts;
  kernel: string | null;
  labels: Record<string, string>;
  /** From the crash's own sender. */
  country: string | null;
}

export interface CrashHostLink {
  hostProfileId: string | null;
  country: string | null;
  hardwareAttrs: string[];
}

/**
 * The version valid at the crash; a crash older than the host's first CEP report takes the first
 * version (hardware rarely changes, and a partial profile beats none). `profiles` are oldest first.
 */
export function profileAtCrash<P extends Pick<HostProfileEntity, 'validFrom'>>(profiles: P[], crashedAt: Date): P | null {
  let chosen: P | null = profiles[0] ?? null;
  for (const p of profiles) if (p.validFrom <= crashedAt) chosen = p;
  return chosen;
}

/** Links crashes to their host's profile at crash time and keeps their hardware attributes current. */
@Injectable()
export class CrashLinkService {
  constructor(private readonly hosts: HostRepository) {}

  /** For a crash being stored, inside its processing transaction. */
  async linkFor(m: EntityManager, crash: CrashHostFacts): Promise<CrashHostLink> {
    let profile: ProfileVersion | null = null;
    let country = crash.country;
    if (crash.hostId) {
      await this.hosts.lockHost(m, crash.hostId);
      const host = await this.hosts.find(m, crash.hostId);
      country ??= host?.country ?? null;
      if (host) profile = profileAtCrash(await this.hosts.profileVersions(m, crash.hostId), crash.crashedAt);
    }
    return {
      hostProfileId: profile?.id ?? null,
      country,
      hardwareAttrs: crashAttributes({ ...crash, country, profile: profile?.attributes ?? null }),
    };
  }

  /**
   * After the host's profile gained a version starting at `since` (null: its first version), its
   * crashes from then on are linked again. The caller holds the host lock. Returns their ids.
   */
  async relinkHost(m: EntityManager, hostId: string, since: Date | null): Promise<string[]> {
    const crashes = await this.hosts.crashesToLink(m, hostId, since);
    if (!crashes.length) return [];
    const profiles = await this.hosts.profileVersions(m, hostId);
    const host = await this.hosts.find(m, hostId);
    await this.hosts.setCrashLinks(
      m,
      crashes.map((c) => {
        const profile = profileAtCrash(profiles, c.crashedAt);
        return {
          id: c.id,
          profileId: profile?.id ?? null,
          attrs: crashAttributes({
            hardware: c.hardware as HardwareFacts,
            kernel: c.kernel,
            labels: c.labels,
            country: c.country ?? host?.country ?? null,
            profile: profile?.attributes ?? null,
          }),
        };
      }),
    );
    return crashes.map((c) => c.id);
  }
}
