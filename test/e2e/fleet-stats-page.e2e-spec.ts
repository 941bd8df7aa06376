import { sendCepReport } from '../support/cep-report';
import { cpuData, daysAgo, disksData, servicesData, SyntheticAgent, type DiskKind } from '../support/fleet-fixtures';
import { startTestHub, TestHub } from '../support/test-hub';

const K = 5;

/** CPU vendor (as the agent reads it → as the page names it) and how many hosts have it. */
const FLEET: Array<{ raw: string; name: string; hosts: number; disk: DiskKind }> = [
  { raw: 'GenuineIntel', name: 'Intel', hosts: 12, disk: 'ssd' },
  { raw: 'AuthenticAMD', name: 'AMD', hosts: 7, disk: 'nvme' },
  // Two cells under k whose sum reaches k: both hidden, nothing else needs hiding.
  { raw: 'HygonGenuine', name: 'Hygon', hosts: 2, disk: 'hdd' },
  { raw: 'CentaurHauls', name: 'Centaur', hosts: 3, disk: 'hdd' },
];

/** value → hosts of the rows the page shows for one attribute, in page order. */
function pageRows(html: string, attribute: string): Array<[string, number]> {
  const table = html.split(`data-attribute="${attribute}"`)[1]?.split('</table>')[0] ?? '';
  return [...table.matchAll(/<tr data-value="([^"]*)" data-hosts="(\d+)">/g)].map((m) => [m[1], Number(m[2])]);
}

describe('public fleet statistics page', () => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await startTestHub('fleetstatspage', { STATS_MIN_HOSTS: String(K) });
    for (const group of FLEET) {
      for (let i = 0; i < group.hosts; i++) {
        const agent = new SyntheticAgent();
        const r = await agent.report(daysAgo(1 + (i % 3)), {
          services: servicesData(),
          cpu: cpuData({ vendor: group.raw, model: `${group.name} Test CPU 1` }),
          disks: disksData([{ kind: group.disk }]),
        });
        expect(await sendCepReport(hub, r)).toMatchObject({ status: 'processed' });
      }
    }
  });
  afterAll(async () => {
    await hub.close();
  });

  it('the front page leads to the statistics page', async () => {
    const res = await hub.http.get('/').expect(302);
    expect(res.headers.location).toBe('/stats');
  });

  it('serves a script-free HTML page with the live count the API publishes', async () => {
    const res = await hub.http.get('/stats').expect(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.text).not.toMatch(/<script/i);
    const live = FLEET.reduce((sum, g) => sum + g.hosts, 0);
    expect((await hub.http.get('/api/v1/stats').expect(200)).body.liveServers).toBe(live);
    expect(res.text).toContain(`id="live-servers" data-live="${live}"`);
  });

  it('shows every breakdown with exactly the cells the JSON API publishes, and nothing held back', async () => {
    const html = (await hub.http.get('/stats').expect(200)).text;
    const api = (await hub.http.get('/api/v1/stats/breakdowns').expect(200)).body;
    for (const b of api.breakdowns) {
      expect(html).toContain(`<section id="${b.name}"`);
      for (const a of b.attributes) {
        expect(pageRows(html, a.attribute)).toEqual(a.cells.map((c: { value: string; hosts: number }) => [c.value, c.hosts]));
      }
    }
    // Counted here from what was sent, not read back from the hub.
    const shown = FLEET.filter((g) => g.hosts >= K);
    expect(pageRows(html, 'cpu.vendor')).toEqual(shown.map((g) => [g.name, g.hosts]));
    for (const g of FLEET.filter((g) => g.hosts < K)) expect(html).not.toContain(g.name);
    const hidden = FLEET.filter((g) => g.hosts < K);
    expect(html).toContain(`${hidden.length} values held back`);
    expect(pageRows(html, 'disk.kind')).toEqual([
      ['ssd', 12],
      ['nvme', 7],
      ['hdd', 5],
    ]);
  });

  it('draws the trend over the days asked for, with the daily counts beside it', async () => {
    const html = (await hub.http.get('/stats?days=5').expect(200)).text;
    const trend = (await hub.http.get('/api/v1/stats/live-servers?days=5').expect(200)).body.trend as Array<{ day: string; liveServers: number | null }>;
    const days = html.split('class="trend-days"')[1].split('</table>')[0];
    const rows = [...days.matchAll(/<tr><td>(\d{4}-\d{2}-\d{2})<\/td><td class="num">([^<]*)<\/td><\/tr>/g)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual([...trend].reverse().map((t) => [t.day, t.liveServers === null ? 'held back' : String(t.liveServers)]));
    // Hosts reported 1–3 days ago: the two oldest days of five show fewer (or withheld) servers.
    expect(trend[4].liveServers).toBe(FLEET.reduce((sum, g) => sum + g.hosts, 0));
    expect(html.match(/<polyline class="line" points="[^"]*"/g)?.length ?? 0).toBeGreaterThanOrEqual(1);
  });

  it('refuses a bad days parameter naming it', async () => {
    const res = await hub.http.get('/stats?days=0').expect(400).expect('Content-Type', /json/);
    expect(JSON.stringify(res.body)).toContain('days');
  });
});
