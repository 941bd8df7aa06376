import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { HubConfig } from '../../../../libs/config/src';
import { activityDay, hostRollupRows, RollupTotals } from '../../../../libs/host-profiles/src';
import { HUB_CONFIG } from '../config/hub-config.provider';
import { FleetRollupRepository } from './fleet-rollup.repository';
import { describeError } from '../../../../libs/observability/src/error-description';

const HOSTS_PER_BATCH = 2000;
const ROWS_PER_WRITE = 5000;

/**
 * Worker role: the rollup is only right for the live window it was built with, so a changed
 * LIVE_WINDOW_DAYS rebuilds it from the hosts' activity days at start. Statistics keep reading the
 * old rollup until the rebuild commits; CEP processing waits for it.
 */
@Injectable()
export class FleetRollupRebuildService implements OnApplicationBootstrap {
  private readonly logger = new Logger(FleetRollupRebuildService.name);

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rollup: FleetRollupRepository,
  ) {}

  /** In the background: a rebuild of a large fleet takes a minute, and the worker must start meanwhile. */
  onApplicationBootstrap(): void {
    void this.ensureWindow().catch((error) => this.logger.error({ msg: 'fleet rollup rebuild failed', error: describeError(error) }));
  }

  async ensureWindow(): Promise<'unchanged' | 'recorded' | 'rebuilt'> {
    const window = this.config.fleet.liveWindowDays;
    return this.dataSource.transaction(async (m) => {
      // Processing waits meanwhile: its deltas must land on the rebuilt table, not be wiped by it.
      await m.query('LOCK TABLE fleet_daily_rollup IN SHARE ROW EXCLUSIVE MODE');
      const state: Array<{ window_days: number }> = await m.query('SELECT window_days FROM fleet_rollup_state WHERE id = 1');
      if (state[0]?.window_days === window) return 'unchanged';
      const hasActivity = (await m.query('SELECT 1 FROM host_activity_day LIMIT 1')).length > 0;
      if (hasActivity) await this.rebuild(m, window);
      await m.query(
        `INSERT INTO fleet_rollup_state (id, window_days, rebuilt_at) VALUES (1, $1, $2)
         ON CONFLICT (id) DO UPDATE SET window_days = EXCLUDED.window_days, rebuilt_at = EXCLUDED.rebuilt_at`,
        [window, hasActivity ? new Date() : null],
      );
      if (hasActivity) this.logger.log({ msg: 'fleet rollup rebuilt for a new live window', windowDays: window, was: state[0]?.window_days ?? null });
      return hasActivity ? 'rebuilt' : 'recorded';
    });
  }

  private async rebuild(m: EntityManager, window: number): Promise<void> {
    await m.query('DELETE FROM fleet_daily_rollup');
    const totals = new RollupTotals();
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const hosts: Array<{ host_id: string }> = await m.query(
        'SELECT DISTINCT host_id FROM host_activity_day WHERE host_id > $1 ORDER BY host_id LIMIT $2',
        [after, HOSTS_PER_BATCH],
      );
      if (!hosts.length) break;
      after = hosts[hosts.length - 1].host_id;
      const activity = await this.rollup.activityOfHosts(m, hosts.map((h) => h.host_id));
      for (const rows of activity.values()) {
        totals.add(hostRollupRows(rows.map(activityDay), window));
      }
    }
    const rows = totals.result();
    for (let i = 0; i < rows.length; i += ROWS_PER_WRITE) await this.rollup.applyDelta(m, rows.slice(i, i + ROWS_PER_WRITE));
  }
}
