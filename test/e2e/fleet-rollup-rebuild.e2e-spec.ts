import { HUB_CONFIG } from '../../apps/hub/src/config/hub-config.provider';
import { FleetRollupRebuildService } from '../../apps/hub/src/fleet/fleet-rollup-rebuild.service';
import type { HubConfig } from '../../libs/config/src';
import { cepReport, newHostId, sendCepReport } from '../support/cep-report';
import { startTestHub, TestHub } from '../support/test-hub';

const DAY_MS = 86_400_000;

const cpu = (vendor: string, model: string) => ({
  vendor,
  model,
  logicalCpus: 8,
  sockets: 1,
  coresPerSocket: 8,
  virtualizationFlags: ['vmx'],
  hypervisorFlag: false,
});

/** Rollup rows as comparable text, one per day/attribute/value. */
async function rollupOf(hub: TestHub): Promise<string[]> {
  const rows: Array<{ day: string; attribute: string; value: string; hosts: number; objects: string }> = await hub.db.query(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, attribute, value, hosts, objects FROM fleet_daily_rollup ORDER BY 1, 2, 3`,
  );
  return rows.map((r) => `${r.day} ${r.attribute}=${r.value} hosts=${r.hosts} objects=${r.objects}`);
}

describe('fleet rollup after a change of LIVE_WINDOW_DAYS', () => {
  let wide: TestHub;
  let narrow: TestHub;

  beforeAll(async () => {
    [wide, narrow] = await Promise.all([
      startTestHub('rollupwide', { LIVE_WINDOW_DAYS: '14' }),
      startTestHub('rollupnarrow', { LIVE_WINDOW_DAYS: '7' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([wide?.close(), narrow?.close()]);
  });

  it('is rebuilt from activity days to what a hub with the new window built incrementally', async () => {
    const now = Date.now();
    const hosts = [newHostId(), newHostId(), newHostId()];
    const reports = [];
    // Reports spread over three weeks, one host changing CPU on the way.
    for (const [i, daysAgo] of [20, 12, 9, 5, 2, 0].entries()) {
      const hostId = hosts[i % hosts.length];
      const collectors = { cpu: i === 3 ? cpu('AuthenticAMD', 'AMD EPYC 7443') : cpu('GenuineIntel', `Xeon ${i % hosts.length}`) };
      reports.push(await cepReport({ hostId, createdAt: new Date(now - daysAgo * DAY_MS), collectors, sequence: i + 1 }));
    }
    for (const r of reports) {
      await expect(sendCepReport(wide, r)).resolves.toMatchObject({ status: 'processed' });
      await expect(sendCepReport(narrow, r)).resolves.toMatchObject({ status: 'processed' });
    }
    expect(await rollupOf(wide)).not.toEqual(await rollupOf(narrow));

    const config = wide.hub.app.get<HubConfig>(HUB_CONFIG);
    config.fleet.liveWindowDays = 7;
    await expect(wide.hub.app.get(FleetRollupRebuildService).ensureWindow()).resolves.toBe('rebuilt');
    expect(await rollupOf(wide)).toEqual(await rollupOf(narrow));
    await expect(wide.hub.app.get(FleetRollupRebuildService).ensureWindow()).resolves.toBe('unchanged');

    // Deltas after the rebuild keep both equal.
    const late = await cepReport({ hostId: hosts[0], createdAt: new Date(now - 1 * DAY_MS), collectors: { cpu: cpu('GenuineIntel', 'Xeon 9') }, sequence: 99 });
    await sendCepReport(wide, late);
    await sendCepReport(narrow, late);
    expect(await rollupOf(wide)).toEqual(await rollupOf(narrow));
    const live = await wide.http.get('/api/v1/stats/live-servers?days=30').expect(200);
    expect(live.body.windowDays).toBe(7);
  });
});
