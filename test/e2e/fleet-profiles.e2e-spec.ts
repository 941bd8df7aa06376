import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { CollectorResult } from '../../agent/src/collectors/collector-result';
import { parseAgentConfig } from '../../agent/src/config/agent-config';
import { RecordedCommandRunner } from '../../agent/src/host/command-runner';
import { AgentRuntime } from '../../agent/src/runtime/agent-runtime';
import {
  buildHostRoot,
  ubuntuHostCommands,
  ubuntuHostLayout,
  virtuozzoHostCommands,
  virtuozzoHostLayout,
  type FixtureEntry,
} from '../../agent/test/fixture-host.helper';
import { RawReportRepository } from '../../apps/hub/src/ingest/raw-report.repository';
import { ReportIntakeService } from '../../apps/hub/src/ingest/report-intake.service';
import { ATTRIBUTES } from '../../libs/host-profiles/src';
import { craftTar } from '../support/archive-builder';
import { sendCepReport } from '../support/cep-report';
import {
  cpuData,
  daysAgo,
  disksData,
  hardwareData,
  memoryData,
  networkData,
  SyntheticAgent,
  vmGuestsData,
} from '../support/fleet-fixtures';
import { startTestHub, TestHub } from '../support/test-hub';

type Data = Record<string, any>;

/** The profile section each built-in collector feeds (software packages, VM and container settings feed none). */
const SECTION_OF: Record<string, string> = {
  cpu: 'cpu',
  memory: 'memory',
  disks: 'disks',
  network: 'network',
  hardware: 'system',
  'static-settings': 'software',
  'vm-guests': 'vms',
  'container-contents': 'containers',
  clusters: 'clusters',
  cgroups: 'cgroups',
  simfs: 'simfs',
  services: 'services',
};
/** cpuinfo vendor ids as people name the vendors. */
const VENDOR_NAME: Record<string, string> = { GenuineIntel: 'Intel', AuthenticAMD: 'AMD' };
/** /proc/net/bonding spells modes out; sysfs and people use the short name. Unreadable modes are still bonds. */
const BOND_MODE: Record<string, string> = { 'IEEE 802.3ad Dynamic link aggregation': '802.3ad' };

/** Memory buckets are powers of two GiB, upper bound inclusive (MemTotal sits just below the installed size). */
function memoryBucket(totalMiB: number): string {
  let upper = 4;
  while (totalMiB > upper * 1024) upper *= 2;
  return upper === 4 ? '<=4GiB' : `${upper / 2}-${upper}GiB`;
}

function histogram(values: Array<string | null>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) if (v !== null) out[v] = (out[v] ?? 0) + 1;
  return out;
}

describe('CEP reports become host profiles', () => {
  let hub: TestHub;
  const scratch: string[] = [];

  beforeAll(async () => {
    hub = await startTestHub('fleetprofiles');
  });
  afterAll(async () => {
    await hub.close();
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  });

  const view = async (hostId: string, key: string) => (await hub.http.get(`/api/v1/hosts/${hostId}`).set('authorization', `Bearer ${key}`).expect(200)).body;
  const cepRow = async (reportId: string) => (await hub.db.query('SELECT * FROM cep_report WHERE id = $1', [reportId]))[0];
  const hostRow = async (hostId: string) => (await hub.db.query('SELECT * FROM host WHERE id = $1', [hostId]))[0];
  const send = async (report: { reportId: string; tarball: Buffer }) => expect(await sendCepReport(hub, report)).toMatchObject({ status: 'processed' });

  describe('reports the real agent makes on the fixture hosts', () => {
    /** The agent's runtime over a fixture root with recorded product tools, delivering over HTTP like the daemon. */
    async function agentReport(layout: Record<string, FixtureEntry>, commands: Record<string, string>) {
      const root = buildHostRoot(layout);
      const work = mkdtempSync(join(tmpdir(), 'fleet-agent-'));
      scratch.push(root, work);
      const config = parseAgentConfig({
        enabled: true,
        host_root: root,
        output_dir: join(work, 'output'),
        spool_dir: join(work, 'spool'),
        state_dir: join(work, 'state'),
        scripts_dir: join(work, 'scripts'),
        protocol: { type: 'HTTP', hub_url: hub.url },
        retry_initial: '1s',
      });
      const runtime = await AgentRuntime.create(config, { runner: new RecordedCommandRunner(commands), log: () => undefined });
      const results = await runtime.collect(runtime.enabledCollectors(), { record: true });
      const report = await runtime.build(results, { record: true });
      await runtime.enqueue(report);
      expect(await runtime.deliver({ maxFailures: 1 })).toEqual({ sent: [report.reportId], remaining: 0 });
      expect(await hub.settled(report.reportId)).toMatchObject({ status: 'processed' });
      const erasureKey = readFileSync(join(work, 'state', 'erasure-key'), 'utf8').trim();
      return { hostId: runtime.hostId, results, report, erasureKey };
    }

    it.each([
      ['Virtuozzo 7 node', virtuozzoHostLayout, virtuozzoHostCommands, 'Virtuozzo'],
      // An Ubuntu desktop is no Virtuozzo product; most product collectors find nothing there.
      ['Ubuntu desktop', ubuntuHostLayout, ubuntuHostCommands, 'other'],
    ] as const)('%s: the profile and its attributes follow the collector outputs', async (_name, layout, commands, product) => {
      const { hostId, results, report, erasureKey } = await agentReport(layout(), commands());
      const ok = results.filter((r) => r.status === 'ok');
      const missing = results.filter((r) => r.status !== 'ok');
      const d: Data = Object.fromEntries(ok.map((r) => [r.name, r.data]));
      // Both trees exercise the common sections; the Ubuntu one also the collectors that found nothing.
      expect(Object.keys(d)).toEqual(expect.arrayContaining(['cpu', 'memory', 'disks', 'hardware', 'static-settings']));
      if (product === 'other') expect(missing.map((r) => r.status)).toContain('not-available');
      // On the Virtuozzo node every collector delivers, so every section below is checked there.
      else expect(missing).toEqual([]);

      const body = await view(hostId, erasureKey);
      expect(body.host).toMatchObject({ reportCount: 1, agentVersion: report.manifest.agentVersion, cloneSignals: [] });
      expect(body.profileHistory).toHaveLength(1);
      expect(body.currentProfile).toMatchObject({ id: (await hostRow(hostId)).current_profile_id, validTo: null });
      const profile = body.currentProfile.profile;
      const attrs: Record<string, number> = body.currentProfile.attributes;

      // A section for every collector that delivered data, none for those that did not.
      const expectedSections = ok.map((r) => SECTION_OF[r.name]).filter(Boolean).sort();
      expect(Object.keys(profile).sort()).toEqual(expectedSections);

      expect(profile.cpu).toEqual({
        vendor: VENDOR_NAME[d.cpu.vendor],
        model: d.cpu.model,
        sockets: d.cpu.sockets,
        coresPerSocket: d.cpu.coresPerSocket,
        logicalCpus: d.cpu.logicalCpus,
      });
      expect(profile.memory).toEqual({ sizeBucket: memoryBucket(d.memory.totalMiB) });
      const fixed = (d.disks.disks as Data[]).filter((x) => !x.removable);
      expect(profile.disks).toEqual({
        count: fixed.length,
        kinds: histogram(fixed.map((x) => x.kind)),
        models: histogram(fixed.map((x) => x.model)),
        sizeBuckets: histogram(fixed.map((x) => x.sizeBucket)),
      });
      expect(profile.system).toEqual({
        vendor: d.hardware.systemVendor,
        product: d.hardware.productName,
        virtualizationRole: d.hardware.virtualization.role,
        virtualizationSystem: d.hardware.virtualization.system,
        virtuozzoHost: d.hardware.virtualization.virtuozzoHost,
      });
      const settings = d['static-settings'];
      const version = settings.productVersion ? settings.productVersion.replace(/^Virtuozzo release /, '') : settings.os.versionId;
      expect(profile.software).toEqual({
        product,
        productVersion: version,
        os: `${settings.os.id} ${settings.os.versionId}`,
        kernel: settings.kernelRelease,
        arch: settings.arch,
        readyKernelPatch: settings.readyKernelPatch,
      });

      const expectedAttrs: Record<string, number> = {
        [`cpu.vendor=${VENDOR_NAME[d.cpu.vendor]}`]: 1,
        [`cpu.model=${d.cpu.model}`]: 1,
        [`cpu.sockets=${d.cpu.sockets}`]: 1,
        [`memory.size=${memoryBucket(d.memory.totalMiB)}`]: 1,
        [`system.vendor=${d.hardware.systemVendor}`]: 1,
        [`system.model=${d.hardware.productName}`]: 1,
        [`product=${product}`]: 1,
        [`os=${settings.os.id} ${settings.os.versionId}`]: 1,
        [`readykernel=${settings.readyKernelPatch ? 'yes' : 'no'}`]: 1,
      };
      // Multi-valued attributes count their objects: disks per kind and model.
      for (const [kind, n] of Object.entries(histogram(fixed.map((x) => x.kind)))) expectedAttrs[`disk.kind=${kind}`] = n;
      for (const [model, n] of Object.entries(histogram(fixed.map((x) => x.model)))) expectedAttrs[`disk.model=${model}`] = n;
      if (settings.kernelRelease) expectedAttrs[`kernel=${settings.kernelRelease}`] = 1;
      // A product version only for the vendor's products: otherwise it would just repeat the OS release.
      if (product !== 'other') expectedAttrs[`product.version=${product} ${version}`] = 1;
      if (settings.readyKernelPatch) expectedAttrs[`readykernel.patch=${settings.readyKernelPatch}`] = 1;

      if (d.network) {
        const speeds = (d.network.nics as Data[]).filter((n) => n.speedMbps).map((n) => `${n.speedMbps / 1000}G`);
        expect(profile.network).toEqual({
          nicCount: d.network.nicCount,
          nicSpeeds: histogram(speeds),
          bondingModes: histogram((d.network.bonds as Data[]).map((b) => (b.mode === null ? 'unknown' : (BOND_MODE[b.mode] ?? b.mode)))),
          teamingRunners: histogram((d.network.teams as Data[]).map((t) => t.runner)),
        });
        for (const [speed, n] of Object.entries(histogram(speeds))) expectedAttrs[`nic.speed=${speed}`] = n;
        expectedAttrs[`bonding=${d.network.bonds.length ? 'yes' : 'no'}`] = 1;
        expectedAttrs[`teaming=${d.network.teams.length ? 'yes' : 'no'}`] = 1;
        for (const t of d.network.teams as Data[]) expectedAttrs[`teaming.runner=${t.runner}`] = 1;
      }
      if (d['vm-guests']) {
        expect(profile.vms).toEqual({ total: d['vm-guests'].total, guestOs: d['vm-guests'].guestOs });
        expectedAttrs['uses.vms=yes'] = d['vm-guests'].total;
        for (const [os, n] of Object.entries(d['vm-guests'].guestOs as Record<string, number>)) expectedAttrs[`guest.os=${os}`] = n;
      }
      if (d['container-contents']) {
        const cts = d['container-contents'];
        expect(profile.containers).toEqual({ total: cts.total, templates: cts.osTemplates, layouts: cts.layouts });
        expectedAttrs['uses.containers=yes'] = cts.total;
        for (const [t, n] of Object.entries(cts.osTemplates as Record<string, number>)) expectedAttrs[`container.template=${t}`] = n;
        for (const [l, n] of Object.entries(cts.layouts as Record<string, number>)) expectedAttrs[`container.layout=${l}`] = n;
      }
      if (d.clusters) {
        expect(profile.clusters).toEqual({ configured: d.clusters.vstorage.configuredClusters, mounted: d.clusters.vstorage.mountedClusters });
        expectedAttrs[`cluster=${d.clusters.vstorage.configuredClusters > 0 ? 'yes' : 'no'}`] = 1;
      }
      if (d.cgroups) {
        expect(profile.cgroups).toEqual({ version: d.cgroups.version });
        expectedAttrs[`cgroup.version=${d.cgroups.version}`] = 1;
      }
      if (d.simfs) {
        expect(profile.simfs).toEqual({ mounts: d.simfs.simfsMounts, containers: d.simfs.simfsContainers });
        expectedAttrs[`simfs=${d.simfs.simfsMounts > 0 ? 'yes' : 'no'}`] = 1;
      }
      if (d.services) expect(profile.services).toEqual({ enabled: [...d.services.enabled].sort() });
      expect(attrs).toMatchObject(expectedAttrs);

      // Every attribute is a documented one; unknown is not "no": nothing about VMs when prlctl was not there.
      for (const key of Object.keys(attrs)) expect(ATTRIBUTES).toContain(key.slice(0, key.indexOf('=')));
      const attributeNames = new Set(Object.keys(attrs).map((k) => k.slice(0, k.indexOf('='))));
      if (!d['vm-guests']) expect(attributeNames.has('uses.vms')).toBe(false);
      if (!d.network) expect(attributeNames.has('bonding')).toBe(false);
      if (product === 'other') expect(attributeNames.has('product.version')).toBe(false);
      // The node is not itself a guest, so no hypervisor attribute.
      if (d.hardware.virtualization.role !== 'guest') expect(attributeNames.has('virt.system')).toBe(false);

      // Records: the valid data of every collector that delivered, exactly as the collector produced it.
      expect(body.collectorRecords.map((r: Data) => ({ collector: r.collector, outcome: r.outcome, reportId: r.reportId, data: r.data }))).toEqual(
        [...ok].sort((a, b) => (a.name < b.name ? -1 : 1)).map((r) => ({ collector: r.name, outcome: 'valid', reportId: report.reportId, data: r.data })),
      );
      // The report's summary lists every collector the agent ran, with the agent's own reason when it found nothing.
      expect(body.recentReports).toHaveLength(1);
      expect(body.recentReports[0]).toMatchObject({ id: report.reportId, sequence: 1, profileId: body.currentProfile.id });
      expect(body.recentReports[0].collectors).toEqual(
        results.map((r: CollectorResult) =>
          r.status === 'ok'
            ? { name: r.name, version: r.version, agentStatus: 'ok', outcome: 'valid' }
            : { name: r.name, version: r.version, agentStatus: r.status, outcome: 'not-collected', reason: r.reason },
        ),
      );

      // Only the key's holder (or an admin) may look; a wrong key learns no more than an unknown host would.
      await hub.http.get(`/api/v1/hosts/${hostId}`).expect(401);
      await hub.http.get(`/api/v1/hosts/${hostId}`).set('authorization', `Bearer ${'0'.repeat(64)}`).expect(404);
    });
  });

  describe('hand-made reports', () => {
    it('a report with only some collectors is merged with the earlier ones', async () => {
      const agent = new SyntheticAgent();
      const monday = { hardware: hardwareData(), network: networkData([10_000, 25_000]), memory: memoryData(257_000) };
      const tuesday = { cpu: cpuData(), disks: disksData([{ kind: 'ssd' }, { kind: 'hdd' }, { kind: 'hdd' }]), 'vm-guests': vmGuestsData({ centos7: 3, 'win-2019': 1 }) };
      const mondayAt = daysAgo(8);
      const tuesdayAt = daysAgo(7);
      const r1 = await agent.report(mondayAt, monday);
      const r2 = await agent.report(tuesdayAt, tuesday);
      await send(r1);
      expect(Object.keys((await view(agent.hostId, agent.erasureKey)).currentProfile.profile).sort()).toEqual(['memory', 'network', 'system']);
      await send(r2);

      const body = await view(agent.hostId, agent.erasureKey);
      const profile = body.currentProfile.profile;
      expect(Object.keys(profile).sort()).toEqual(['cpu', 'disks', 'memory', 'network', 'system', 'vms']);
      expect(profile.system.product).toBe(monday.hardware.productName);
      expect(profile.memory.sizeBucket).toBe(memoryBucket(monday.memory.totalMiB));
      expect(profile.network.nicCount).toBe(monday.network.nicCount);
      expect(profile.cpu.model).toBe(tuesday.cpu.model);
      expect(profile.disks.kinds).toEqual({ ssd: 1, hdd: 2 });
      expect(profile.vms.total).toBe(tuesday['vm-guests'].total);
      // Each record still points at the report that carried it.
      expect(Object.fromEntries(body.collectorRecords.map((r: Data) => [r.collector, r.reportId]))).toEqual({
        hardware: r1.reportId,
        network: r1.reportId,
        memory: r1.reportId,
        cpu: r2.reportId,
        disks: r2.reportId,
        'vm-guests': r2.reportId,
      });
      // Monday's profile lasted until Tuesday's report; Tuesday's is current.
      expect(body.profileHistory.map((p: Data) => [p.validFrom, p.validTo])).toEqual([
        [mondayAt.toISOString(), tuesdayAt.toISOString()],
        [tuesdayAt.toISOString(), null],
      ]);
    });

    it('a malformed collector file is recorded invalid, naming the field; the rest of the report counts and the old record stays', async () => {
      const agent = new SyntheticAgent();
      const first = { cpu: cpuData({ vendor: 'AuthenticAMD', model: 'AMD EPYC 7502 32-Core Processor', logicalCpus: 64, sockets: 1, coresPerSocket: 32 }), hardware: hardwareData(), memory: memoryData(64_000) };
      const r1 = await agent.report(daysAgo(6), first);
      await send(r1);
      // A wrong type in one collector, a field outside the strict schema in another, two good ones.
      const r2 = await agent.report(daysAgo(5), {
        cpu: { ...cpuData(), logicalCpus: 'forty' },
        hardware: { ...hardwareData({ vendor: 'Dell Inc.' }), productSerial: 'PF0XK7Q2' },
        memory: memoryData(128_000),
        disks: disksData([{ kind: 'nvme' }]),
      });
      await send(r2);

      const outcomes = Object.fromEntries((await cepRow(r2.reportId)).collectors.map((c: Data) => [c.name, c]));
      expect(outcomes.cpu).toMatchObject({ outcome: 'invalid', agentStatus: 'ok', reason: expect.stringMatching(/\blogicalCpus\b/) });
      expect(outcomes.hardware).toMatchObject({ outcome: 'invalid', reason: expect.stringMatching(/productSerial/) });
      expect(outcomes.memory).toEqual({ name: 'memory', version: 1, agentStatus: 'ok', outcome: 'valid' });
      expect(outcomes.disks).toEqual({ name: 'disks', version: 1, agentStatus: 'ok', outcome: 'valid' });

      const body = await view(agent.hostId, agent.erasureKey);
      const records = Object.fromEntries(body.collectorRecords.map((r: Data) => [r.collector, r]));
      // The earlier valid cpu and hardware records are still the ones in use.
      expect(records.cpu).toMatchObject({ reportId: r1.reportId, outcome: 'valid', data: first.cpu });
      expect(records.hardware).toMatchObject({ reportId: r1.reportId, outcome: 'valid', data: first.hardware });
      expect(records.memory).toMatchObject({ reportId: r2.reportId, outcome: 'valid' });
      expect(records.disks).toMatchObject({ reportId: r2.reportId, outcome: 'valid' });
      const profile = body.currentProfile.profile;
      expect(profile.cpu).toMatchObject({ vendor: 'AMD', model: first.cpu.model, logicalCpus: first.cpu.logicalCpus });
      expect(profile.system.vendor).toBe(first.hardware.systemVendor);
      expect(profile.memory.sizeBucket).toBe(memoryBucket(128_000));
      expect(profile.disks.kinds).toEqual({ nvme: 1 });
      expect(JSON.stringify(body.currentProfile)).not.toMatch(/PF0XK7Q2|forty|Dell/);
    });

    it('unknown collectors, external scripts and unknown versions are kept raw as untrusted, outside the profile', async () => {
      const agent = new SyntheticAgent();
      const r = await agent.report(daysAgo(4), [
        { name: 'cpu', data: cpuData() },
        { name: 'gpu', data: { cards: 2, vendor: 'nvidia-tesla' } },
        { name: 'script.inventory', data: { racks: 3, row: 'B' } },
        // A newer agent's memory collector: the hub cannot check it against the schema it knows.
        { name: 'memory', version: 2, data: { totalGiB: 512 } },
      ]);
      await send(r);
      const body = await view(agent.hostId, agent.erasureKey);
      const records = Object.fromEntries(body.collectorRecords.map((x: Data) => [x.collector, x]));
      expect(records.gpu).toMatchObject({ outcome: 'untrusted', reason: 'unknown collector', data: { cards: 2, vendor: 'nvidia-tesla' } });
      expect(records['script.inventory']).toMatchObject({ outcome: 'untrusted', reason: 'external script', data: { racks: 3, row: 'B' } });
      expect(records.memory).toMatchObject({ outcome: 'untrusted', version: 2, reason: expect.stringMatching(/version 2/), data: { totalGiB: 512 } });
      expect(records.cpu).toMatchObject({ outcome: 'valid' });
      expect(Object.keys(body.currentProfile.profile)).toEqual(['cpu']);
      for (const key of Object.keys(body.currentProfile.attributes)) expect(key).toMatch(/^cpu\./);
      expect(JSON.stringify(body.currentProfile)).not.toMatch(/nvidia-tesla|racks|totalGiB/);
      expect((await cepRow(r.reportId)).collectors.map((c: Data) => [c.name, c.outcome])).toEqual([
        ['cpu', 'valid'],
        ['gpu', 'untrusted'],
        ['script.inventory', 'untrusted'],
        ['memory', 'untrusted'],
      ]);
    });

    it('collectors the agent reported as timed out or not available leave the last data in place', async () => {
      const agent = new SyntheticAgent();
      const first = { cpu: cpuData(), 'vm-guests': vmGuestsData({ 'win-2019': 2 }) };
      const r1 = await agent.report(daysAgo(4), first);
      await send(r1);
      const r2 = await agent.report(daysAgo(3), [
        { name: 'cpu', status: 'timed-out', reason: 'no result within 60000 ms' },
        { name: 'vm-guests', status: 'not-available', reason: 'prlctl not installed' },
        { name: 'memory', data: memoryData(16_000) },
      ]);
      await send(r2);
      expect((await cepRow(r2.reportId)).collectors).toEqual([
        { name: 'cpu', version: 1, agentStatus: 'timed-out', outcome: 'not-collected', reason: 'no result within 60000 ms' },
        { name: 'vm-guests', version: 1, agentStatus: 'not-available', outcome: 'not-collected', reason: 'prlctl not installed' },
        { name: 'memory', version: 1, agentStatus: 'ok', outcome: 'valid' },
      ]);
      const body = await view(agent.hostId, agent.erasureKey);
      expect(Object.fromEntries(body.collectorRecords.map((x: Data) => [x.collector, x.reportId]))).toEqual({
        cpu: r1.reportId,
        'vm-guests': r1.reportId,
        memory: r2.reportId,
      });
      expect(body.currentProfile.profile).toMatchObject({
        cpu: { model: first.cpu.model },
        vms: { total: 2, guestOs: { 'win-2019': 2 } },
        memory: { sizeBucket: memoryBucket(16_000) },
      });
    });

    it('a stored report whose manifest is invalid is rejected with the reason, and leaves no host data', async () => {
      const hostId = randomUUID();
      const reportId = randomUUID();
      const at = daysAgo(2).toISOString();
      const manifest = {
        schemaVersion: 1,
        agentVersion: '0.1.0',
        hostId,
        reportId,
        createdAt: at,
        sequence: 0,
        collectors: [{ name: 'cpu', version: 1, status: 'ok', durationMs: 1, collectedAt: at, file: 'cpu.json' }],
      };
      const tarball = gzipSync(
        craftTar([
          { name: 'manifest.json', body: JSON.stringify(manifest) },
          { name: 'cpu.json', body: JSON.stringify({ name: 'cpu', version: 1, status: 'ok', data: cpuData() }) },
        ]),
      );
      // Intake refuses it outright…
      const refused = await hub.http.post('/api/v1/cep-reports').set('content-type', 'application/gzip').send(tarball).expect(400);
      expect(refused.body.message).toMatch(/sequence/);
      // …so such a report can only be in storage from before a schema change; processing must reject it, not fail.
      const before = await hub.snapshot();
      await hub.hub.app.get(RawReportRepository).insertOnce({
        id: reportId,
        kind: 'cep',
        source: 'agent',
        encoding: 'archive',
        payload: tarball,
        contentSha256: createHash('sha256').update(tarball).digest('hex'),
        hostId,
      });
      await hub.hub.app.get(ReportIntakeService).enqueue(reportId, 'cep');
      const settled = await hub.settled(reportId);
      expect(settled.status).toBe('rejected');
      expect(settled.reject_reason).toMatch(/invalid manifest\.json: sequence/);
      const after = await hub.snapshot();
      expect(after).toEqual({ ...before, raw_report: before.raw_report + 1 });
      expect(await hostRow(hostId)).toBeUndefined();
      const status = await hub.http.get(`/api/v1/reports/${reportId}`).expect(200);
      expect(JSON.stringify(status.body)).toMatch(/invalid manifest\.json: sequence/);
    });

    it('profile history: a memory upgrade starts a second version, an unchanged report does not', async () => {
      const agent = new SyntheticAgent();
      const base = { cpu: cpuData(), memory: memoryData(16_000), hardware: hardwareData() };
      const [d1, d2, d3] = [daysAgo(5), daysAgo(4), daysAgo(3)];
      const r1 = await agent.report(d1, base);
      await send(r1);
      const r2 = await agent.report(d2, base);
      await send(r2);
      const versions = () => hub.db.query('SELECT * FROM host_profile WHERE host_id = $1 ORDER BY valid_from', [agent.hostId]);
      const [v1] = await versions();
      expect(await versions()).toHaveLength(1);
      expect(v1.valid_to).toBeNull();
      expect((await cepRow(r2.reportId)).profile_id).toBe(v1.id);

      const r3 = await agent.report(d3, { ...base, memory: memoryData(64_000) });
      await send(r3);
      const history = await versions();
      expect(history).toHaveLength(2);
      expect(history[0]).toMatchObject({ id: v1.id, valid_from: d1, valid_to: d3 });
      expect(history[1]).toMatchObject({ valid_from: d3, valid_to: null });
      expect(history[0].profile.memory).toEqual({ sizeBucket: memoryBucket(16_000) });
      expect(history[1].profile.memory).toEqual({ sizeBucket: memoryBucket(64_000) });
      expect(history[1].attributes[`memory.size=${memoryBucket(64_000)}`]).toBe(1);
      expect(history[1].attributes[`memory.size=${memoryBucket(16_000)}`]).toBeUndefined();
      expect((await hostRow(agent.hostId))).toMatchObject({ current_profile_id: history[1].id, report_count: 3, clone_signals: [] });
      expect((await cepRow(r3.reportId)).profile_id).toBe(history[1].id);
    });
  });

  describe('clone detection', () => {
    const machineA = { cpu: cpuData({ model: 'Intel(R) Xeon(R) Silver 4210 CPU @ 2.20GHz', logicalCpus: 20 }), memory: memoryData(64_000), hardware: hardwareData() };
    const machineB = {
      cpu: cpuData({ vendor: 'AuthenticAMD', model: 'AMD EPYC 7452 32-Core Processor', logicalCpus: 64, sockets: 1, coresPerSocket: 32 }),
      memory: memoryData(257_000),
      hardware: hardwareData({ vendor: 'Dell Inc.', product: 'PowerEdge R7515' }),
    };
    const signals = async (hostId: string) => (await hostRow(hostId)).clone_signals as Data[];

    it('hardware going A → B → A is flagged; a plain upgrade A → B is not; both stay one host', async () => {
      const cloned = new SyntheticAgent();
      const upgraded = new SyntheticAgent();
      await send(await upgraded.report(daysAgo(6), machineA));
      await send(await upgraded.report(daysAgo(5), machineB));
      await send(await cloned.report(daysAgo(6), machineA));
      await send(await cloned.report(daysAgo(5), machineB));
      expect(await signals(cloned.hostId)).toEqual([]);
      const back = await cloned.report(daysAgo(4), machineA);
      await send(back);

      expect(await signals(upgraded.hostId)).toEqual([]);
      expect(await signals(cloned.hostId)).toEqual([{ reason: expect.stringMatching(/alternat/), reportId: back.reportId, detectedAt: expect.any(String) }]);
      // Flagged, not merged or split: one host row, its reports and versions under the one id.
      for (const [agent, reports] of [[cloned, 3], [upgraded, 2]] as const) {
        expect(await hub.db.query('SELECT count(*)::int AS n, max(report_count) AS reports FROM host WHERE id = $1', [agent.hostId])).toEqual([{ n: 1, reports }]);
        expect((await hub.db.query('SELECT count(*)::int AS n FROM host_profile WHERE host_id = $1', [agent.hostId]))[0].n).toBe(reports);
      }
      const body = await view(cloned.hostId, cloned.erasureKey);
      expect(body.host.cloneSignals).toHaveLength(1);
      expect(body.profileHistory).toHaveLength(3);
    });

    it('two reports with the same manifest sequence are flagged', async () => {
      const agent = new SyntheticAgent();
      await send(await agent.report(daysAgo(6), machineA, { sequence: 1 }));
      await send(await agent.report(daysAgo(5), machineA, { sequence: 2 }));
      expect(await signals(agent.hostId)).toEqual([]);
      // A golden-image copy counts on from the same state file: its next report repeats number 2.
      const copy = await agent.report(daysAgo(4), machineA, { sequence: 2 });
      await send(copy);
      expect(await signals(agent.hostId)).toEqual([{ reason: expect.stringMatching(/sequence 2/), reportId: copy.reportId, detectedAt: expect.any(String) }]);
      expect(await hub.db.query('SELECT count(*)::int AS n FROM host WHERE id = $1', [agent.hostId])).toEqual([{ n: 1 }]);
      expect((await hostRow(agent.hostId)).report_count).toBe(3);
    });
  });
});
