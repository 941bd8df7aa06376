import type { CollectorOutput } from '../../../libs/contracts/src/cep';
import type { HostFs } from '../host/host-fs';
import type { Collector, CollectorContext } from './collector';
import { notAvailable, ok } from './collector';

type NetworkOutput = CollectorOutput<'network'>;
const NET = '/sys/class/net';

function operState(value: string | undefined): NetworkOutput['nics'][number]['operState'] {
  if (value === 'up' || value === 'down' || value === 'unknown') return value;
  return value === undefined ? 'unknown' : 'other';
}

function speed(value: string | undefined): number | null {
  const n = Number(value);
  // sysfs reports -1 (or errors) for links without carrier.
  return Number.isInteger(n) && n > 0 ? n : null;
}

/** /proc/net/bonding/<bond>: the legacy text view, present on every kernel with bonding loaded. */
function parseProcBonding(text: string): NetworkOutput['bonds'][number] {
  const mode = /^Bonding Mode:\s*(.+)$/m.exec(text)?.[1].trim() ?? null;
  const slaves = text.split(/^Slave Interface:/m).slice(1);
  return {
    mode,
    slaveCount: slaves.length,
    slaveSpeedsMbps: slaves.map((s) => speed(/^Speed:\s*(\d+)/m.exec(s)?.[1])).filter((v): v is number => v !== null),
    miiStatusUp: slaves.filter((s) => /^MII Status:\s*up/m.test(s)).length,
  };
}

/** Bonds known only to sysfs (no /proc/net/bonding entry, e.g. in a container view). */
async function sysfsBond(fs: HostFs, bond: string): Promise<NetworkOutput['bonds'][number]> {
  const slaves = ((await fs.readValue(`${NET}/${bond}/bonding/slaves`)) ?? '').split(/\s+/).filter(Boolean);
  const mii = await Promise.all(
    slaves.map(
      async (s) =>
        (await fs.readValue(`${NET}/${bond}/slave_${s}/bonding_slave/mii_status`)) ??
        (await fs.readValue(`${NET}/${s}/bonding_slave/mii_status`)),
    ),
  );
  const speeds = await Promise.all(slaves.map(async (s) => speed(await fs.readValue(`${NET}/${s}/speed`))));
  return {
    mode: (await fs.readValue(`${NET}/${bond}/bonding/mode`))?.split(' ')[0] ?? null,
    slaveCount: slaves.length,
    slaveSpeedsMbps: speeds.filter((v): v is number => v !== null),
    miiStatusUp: mii.filter((m) => m === 'up').length,
  };
}

/** teamd keeps its state in userspace; only `teamdctl <dev> state dump` knows the runner. */
async function teamState(ctx: CollectorContext, dev: string): Promise<NetworkOutput['teams'][number]> {
  const result = await ctx.runner.run('teamdctl', [dev, 'state', 'dump'], { timeoutMs: ctx.commandTimeoutMs });
  if (result.status !== 'ok') return { runner: null, portCount: 0 };
  try {
    const state = JSON.parse(result.stdout) as { setup?: { runner_name?: unknown }; ports?: Record<string, unknown> };
    const runner = typeof state.setup?.runner_name === 'string' ? state.setup.runner_name : null;
    return { runner, portCount: Object.keys(state.ports ?? {}).length };
  } catch {
    return { runner: null, portCount: 0 };
  }
}

export const networkCollector: Collector<'network'> = {
  name: 'network',
  async collect(ctx) {
    const { fs } = ctx;
    const ifaces = await fs.readDir(NET);
    const procBonds = (await fs.readDir('/proc/net/bonding')) ?? [];
    if (!ifaces && procBonds.length === 0) return notAvailable(`${NET} not readable`);
    const data: NetworkOutput = { nicCount: 0, nics: [], bonds: [], teams: [], bridgeCount: 0 };
    const bondMasters = new Set(((await fs.readValue(`${NET}/bonding_masters`)) ?? '').split(/\s+/).filter(Boolean));
    for (const name of procBonds) {
      const text = await fs.readText(`/proc/net/bonding/${name}`);
      if (text) data.bonds.push(parseProcBonding(text));
      bondMasters.delete(name);
    }
    for (const bond of bondMasters) data.bonds.push(await sysfsBond(fs, bond));
    for (const name of ifaces ?? []) {
      if (name === 'bonding_masters') continue;
      const devType = /^DEVTYPE=(\S+)/m.exec((await fs.readText(`${NET}/${name}/uevent`)) ?? '')?.[1];
      if (devType === 'team') data.teams.push(await teamState(ctx, name));
      if (devType === 'bridge' || (await fs.exists(`${NET}/${name}/bridge`))) data.bridgeCount++;
      // Physical NICs have a backing device; virtual ones (lo, veth, bonds, bridges) do not.
      if (!(await fs.exists(`${NET}/${name}/device`))) continue;
      data.nics.push({
        driver: (await fs.linkName(`${NET}/${name}/device/driver`)) ?? null,
        speedMbps: speed(await fs.readValue(`${NET}/${name}/speed`)),
        operState: operState(await fs.readValue(`${NET}/${name}/operstate`)),
      });
    }
    data.nicCount = data.nics.length;
    return ok(data);
  },
};
