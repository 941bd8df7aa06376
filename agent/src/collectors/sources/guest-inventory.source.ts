import { published } from '../../privacy/published-vocabulary';
import type { CollectorContext } from '../collector';

/**
 * Product-tool inventories of VMs (`prlctl list -a -i -j`) and containers (`vzlist -a -j`).
 * Only the fields below are read; names, hostnames, IPs and ids in the same JSON are never touched.
 */
export type InventoryResult<T> = { status: 'ok'; items: T[] } | { status: 'not-available'; reason: string };

export interface VmRecord {
  state: string;
  guestOs: string | null;
  cpus: number | null;
  memoryMiB: number | null;
  diskCount: number;
  autostart: boolean;
  highAvailability: boolean;
  toolsInstalled: boolean;
}

export interface ContainerRecord {
  state: string;
  osTemplate: string | null;
  layout: string | null;
  cpus: number | null;
  ramMiB: number | null;
  diskGiB: number | null;
  onBoot: boolean;
  vswap: boolean;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? parseFloat(v) : NaN;
  return Number.isFinite(n) ? n : null;
};
const onOff = (v: unknown): boolean => v === true || v === 'on' || v === 'yes' || obj(v).enabled === 'yes' || obj(v).enabled === true;

/** `"2048Mb"` / `"2Gb"` / `2048` → MiB. */
function mib(v: unknown): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)b?$/i.exec(String(v ?? '').trim());
  if (!m) return null;
  const factor: Record<string, number> = { K: 1 / 1024, '': 1, M: 1, G: 1024, T: 1024 * 1024 };
  return Math.round(Number(m[1]) * factor[m[2].toUpperCase()]);
}

async function runJson(ctx: CollectorContext, tool: string, args: string[]): Promise<InventoryResult<Json>> {
  const result = await ctx.runner.run(tool, args, { timeoutMs: ctx.commandTimeoutMs });
  if (result.status === 'not-found') return { status: 'not-available', reason: `${tool} not installed` };
  if (result.status !== 'ok') return { status: 'not-available', reason: `${tool} ${result.status}` };
  try {
    const parsed: unknown = JSON.parse(result.stdout);
    return { status: 'ok', items: Array.isArray(parsed) ? parsed.map(obj) : [] };
  } catch {
    return { status: 'not-available', reason: `${tool} printed invalid JSON` };
  }
}

export async function listVms(ctx: CollectorContext): Promise<InventoryResult<VmRecord>> {
  const raw = await runJson(ctx, 'prlctl', ['list', '-a', '-i', '-j', '--vmtype', 'vm']);
  if (raw.status !== 'ok') return raw;
  return {
    status: 'ok',
    items: raw.items.map((vm) => {
      const hw = obj(vm.Hardware);
      return {
        state: str(vm.State) ?? 'other',
        guestOs: str(vm.OS),
        cpus: num(obj(hw.cpu).cpus),
        memoryMiB: mib(obj(hw.memory).size),
        diskCount: Object.keys(hw).filter((k) => /^hdd\d+$/.test(k)).length,
        autostart: onOff(vm.Autostart),
        highAvailability: onOff(vm['High Availability']),
        toolsInstalled: /installed/.test(String(obj(vm.GuestTools).state ?? obj(vm['Guest Tools']).state ?? '')),
      };
    }),
  };
}

export async function listContainers(ctx: CollectorContext): Promise<InventoryResult<ContainerRecord>> {
  const raw = await runJson(ctx, 'vzlist', ['-a', '-j']);
  if (raw.status !== 'ok') return raw;
  return {
    status: 'ok',
    items: raw.items.map((ct) => {
      const physpages = num(obj(ct.physpages).limit);
      const diskKb = num(obj(ct.diskspace).hardlimit);
      return {
        state: str(ct.status) ?? 'other',
        osTemplate: str(ct.ostemplate),
        layout: str(ct.layout),
        cpus: num(ct.cpus),
        // physpages are 4 KiB pages; "unlimited" shows up as a huge number or a string.
        ramMiB: physpages !== null ? Math.round((physpages * 4) / 1024) : null,
        diskGiB: diskKb !== null ? Math.round(diskKb / 1024 / 1024) : null,
        onBoot: onOff(ct.onboot),
        vswap: num(obj(ct.swappages).limit) !== null && (num(obj(ct.swappages).limit) ?? 0) > 0,
      };
    }),
  };
}

const KNOWN_STATES = ['running', 'stopped', 'suspended', 'paused', 'mounted'] as const;
export type GuestState = (typeof KNOWN_STATES)[number] | 'other';
export function normaliseState(state: string): GuestState {
  return (KNOWN_STATES as readonly string[]).includes(state) ? (state as GuestState) : 'other';
}

/** Template and guest-OS names pass only when published; customers' own (`umbrella-golden-c7`) are `custom`. */
export function templateName(name: string | null, kind: 'osTemplate' | 'guestOs'): string {
  return name ? published(kind, name) : 'other';
}
