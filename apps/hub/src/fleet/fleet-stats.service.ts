import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { HubConfig } from '../../../../libs/config/src';
import { addDays, dayOf, liveHostsIn, publishAttribute, STATS_BREAKDOWNS, BreakdownDefinition } from '../../../../libs/host-profiles/src';
import { HUB_CONFIG } from '../config/hub-config.provider';
import { FleetRollupRepository, RollupRow } from './fleet-rollup.repository';

const LIVE = { attribute: 'live', value: 'all' };

/** Public fleet statistics, read from the daily rollup only. */
@Injectable()
export class FleetStatsService {
  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly rollup: FleetRollupRepository,
  ) {}

  private get k(): number {
    return this.config.fleet.statsMinHosts;
  }

  /** A live count below k is itself a small cell. */
  private published(live: number): number | null {
    return live >= this.k ? live : null;
  }

  async summary(now = new Date()) {
    const day = dayOf(now);
    const live = liveHostsIn(await this.rollup.rows(day, [LIVE.attribute]));
    return {
      day,
      windowDays: this.config.fleet.liveWindowDays,
      minHostsPerCell: this.k,
      liveServers: this.published(live),
      breakdowns: STATS_BREAKDOWNS.map((b) => ({ name: b.name, title: b.title, href: `/api/v1/stats/breakdowns/${b.name}` })),
    };
  }

  async liveTrend(days: number, now = new Date()) {
    const to = dayOf(now);
    const from = addDays(to, -(days - 1));
    const byDay = new Map((await this.rollup.trend(LIVE.attribute, LIVE.value, from, to)).map((r) => [r.day, r.hosts]));
    const trend: Array<{ day: string; liveServers: number | null }> = [];
    for (let d = from; d <= to; d = addDays(d, 1)) trend.push({ day: d, liveServers: this.published(byDay.get(d) ?? 0) });
    return { windowDays: this.config.fleet.liveWindowDays, minHostsPerCell: this.k, from, to, trend };
  }

  async breakdown(name: string, now = new Date()) {
    const definition = STATS_BREAKDOWNS.find((b) => b.name === name);
    if (!definition) {
      throw new NotFoundException(`no breakdown '${name}'; known: ${STATS_BREAKDOWNS.map((b) => b.name).join(', ')}`);
    }
    const day = dayOf(now);
    return this.publish(definition, day, await this.rollup.rows(day, [LIVE.attribute, ...definition.attributes]));
  }

  async allBreakdowns(now = new Date()) {
    const day = dayOf(now);
    const rows = await this.rollup.allRows(day);
    return {
      day,
      windowDays: this.config.fleet.liveWindowDays,
      minHostsPerCell: this.k,
      liveServers: this.published(liveHostsIn(rows)),
      breakdowns: STATS_BREAKDOWNS.map((b) => this.publish(b, day, rows)),
    };
  }

  /** Everything the public page shows, from one read of the day's rollup and one of the trend. */
  async pageView(days: number, now = new Date()) {
    const [all, trend] = await Promise.all([this.allBreakdowns(now), this.liveTrend(days, now)]);
    return { ...all, trend: trend.trend };
  }

  private publish(definition: BreakdownDefinition, day: string, rows: RollupRow[]) {
    const live = liveHostsIn(rows);
    return {
      name: definition.name,
      title: definition.title,
      day,
      windowDays: this.config.fleet.liveWindowDays,
      minHostsPerCell: this.k,
      liveServers: this.published(live),
      attributes: definition.attributes.map((attribute) =>
        publishAttribute(
          attribute,
          rows.filter((r) => r.attribute === attribute).map((r) => ({ value: r.value, hosts: r.hosts, objects: r.objects })),
          live,
          this.k,
          definition.top,
        ),
      ),
    };
  }
}
