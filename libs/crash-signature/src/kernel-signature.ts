import { createHash } from 'node:crypto';
import { CrashSignature } from './crash-signature';
import { CrashFrame, ParsedCrash } from './crash-thread';
import boilerplate from './data/kernel-boilerplate-frames.json';
import { NormalizedFrame } from './frame-normalization';
import { KernelReport, ParsedKernelOops, UNKNOWN_KERNEL_KIND } from './kernel-oops-parser';

interface BoilerplateCategory {
  functions?: string[];
  prefixes?: string[];
}
const categories = Object.values(boilerplate.categories as Record<string, BoilerplateCategory>);
const boilerplateNames = new Set(categories.flatMap((c) => c.functions ?? []));
const boilerplatePrefixes = categories.flatMap((c) => c.prefixes ?? []);

/** `foo.constprop.0`, `foo.isra.12`, `foo.cold`, `.foo` (ppc64): the function is `foo`. */
export function kernelFunctionName(name: string): string {
  return name.replace(/^\.+/, '').split('.')[0];
}

/** True for frames that say how a report was produced (panic, dump, sanitizer, scheduler…), not where. */
export function isKernelBoilerplate(name: string): boolean {
  const fn = kernelFunctionName(name);
  return boilerplateNames.has(fn) || boilerplatePrefixes.some((prefix) => fn.startsWith(prefix));
}

export interface KernelSignature {
  /** Crash site, its first non-boilerplate caller if any, then the kind as `<kind>`. */
  frames: NormalizedFrame[];
  signature: CrashSignature;
  kind: string;
  /** The crash site's function, or undefined when no frame names one. */
  crashFunction?: string;
}

/**
 * The kernel signature: the report's kind and its crash site (the RIP/PC function, the function a
 * `WARNING`/`KASAN` header names, or the first frame of the trace), boilerplate frames skipped.
 * The exact key is kind + site only: below the site the same bug is reached through many paths (module
 * init, a syscall, a workqueue), and thread ids, CPUs, addresses and offsets never enter it.
 * The frames kept for near-duplicate comparison are short on purpose (site, one caller, kind), so that
 * agreement in outer frames can never outweigh a different crash site.
 */
export function kernelSignature(crash: ParsedCrash, component: string): KernelSignature {
  const report = (crash as ParsedKernelOops).kernelReport;
  const kind = report?.kind ?? UNKNOWN_KERNEL_KIND;
  const { site, caller } = crashSite(crash.frames, report);
  const siteFrame = site ?? { function: fallbackSite(report, crash.frames) };
  const marker = { function: `<${kind}>` };
  const frames = caller ? [siteFrame, caller, marker] : [siteFrame, marker];
  const hash = createHash('sha256')
    .update(['kerneloops', component, kind, siteFrame.function].join('\n'))
    .digest('hex');
  return {
    frames,
    signature: { hash, text: `${component}: ${frames.map((f) => f.function).join(' | ')}` },
    kind,
    ...(site ? { crashFunction: site.function } : {}),
  };
}

/** The first non-boilerplate frame the report kind points at, and the next distinct one after it. */
export function crashSite(
  frames: CrashFrame[],
  report?: Pick<KernelReport, 'site' | 'headerFunction' | 'lockFunction'>,
): { site?: NormalizedFrame; caller?: NormalizedFrame } {
  // Stalls and lockups are detected from an interrupt; the interrupted task is where the CPU is stuck.
  const eligible = frames.filter((f) => f.function && !(report?.site === 'task' && f.kernelContext));
  const named = report?.site === 'header' ? report.headerFunction : report?.site === 'lock' ? report.lockFunction : undefined;
  const named0: CrashFrame[] = named ? [{ function: named, reliable: true }] : [];
  // Unreliable (`?`) frames are stack garbage: they count only in a trace that has nothing else.
  const reliable = [...named0, ...eligible].filter((f) => f.reliable !== false);
  const list = reliable.length ? reliable : [...named0, ...eligible];
  // A trace of boilerplate only (a bug in the reporting path itself) is keyed by its innermost frame.
  const useful = list.filter((f) => !isKernelBoilerplate(f.function!));
  const candidates = useful.length ? useful : list.slice(0, 1);
  if (!candidates.length) return {};
  const site = normalized(candidates[0]);
  const next = candidates.find((f) => kernelFunctionName(f.function!) !== site.function);
  return { site, ...(next ? { caller: normalized(next) } : {}) };
}

function normalized(frame: CrashFrame): NormalizedFrame {
  const fn = kernelFunctionName(frame.function!);
  return frame.module ? { function: fn, module: frame.module } : { function: fn };
}

/**
 * No frame names a site. `general protection fault in <unknown>` would merge unrelated bugs, so the
 * key falls back to the faulting instruction bytes (same bug, same build) or, failing those, the
 * report's own text: identical reports still meet, different ones never do.
 */
function fallbackSite(report: KernelReport | undefined, frames: CrashFrame[]): string {
  const evidence = report?.code
    ? `code ${report.code}`
    : report
      ? `text ${report.textHash}`
      : `addresses ${frames.map((f) => f.address?.toString(16) ?? '?').join(' ')}`;
  return `<unknown site ${createHash('sha256').update(evidence).digest('hex').slice(0, 12)}>`;
}
