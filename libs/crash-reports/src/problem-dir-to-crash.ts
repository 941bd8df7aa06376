import { INPUT_BOUNDS } from '../../contracts/src/bounds/input-bounds';
import {
  parseAnacondaDump,
  parseCoreBacktrace,
  parseGdbBacktrace,
  parseJavaStacktrace,
  parseKernelOops,
  parsePythonTraceback,
  parseXorgBacktrace,
} from '../../crash-signature/src';
import type { ParsedAnacondaDump } from '../../crash-signature/src/anaconda-dump-parser';
import type { CrashFamily, ParsedCrash } from '../../crash-signature/src/crash-thread';
import type { ProblemDirectory } from '../../storage/src/archive';
import { CrashInput, CrashInputError, HardwareFacts } from './crash-input';
import { cpuFromCpuinfo, diskModelsFromLsblk, systemFromHardwareName } from './hardware-facts';
import { PROBLEM_TYPE_SPECS, stackElementOf } from './problem-types';
import { hostKeyFromMachineId } from './ureport-to-crash';


const PARSERS: Partial<Record<CrashFamily, (text: string, element: string) => ParsedCrash>> = {
  core: (text, element) => (element === 'core_backtrace' ? parseCoreBacktrace(text) : parseGdbBacktrace(text)),
  python: parsePythonTraceback,
  kerneloops: parseKernelOops,
  xorg: parseXorgBacktrace,
  java: parseJavaStacktrace,
  anaconda: parseAnacondaDump,
};

function parseStack(dir: ProblemDirectory, type: string): ParsedCrash {
  const element = stackElementOf(type, (name) => dir.text(name));
  if (!element) {
    throw new CrashInputError(`${type} problem directory has none of ${PROBLEM_TYPE_SPECS[type].stackElements.join(', ')}`);
  }
  const parse = PARSERS[PROBLEM_TYPE_SPECS[type].family];
  if (!parse) throw new CrashInputError(`no parser for ${type} problem directories`);
  return parse(dir.text(element)!, element);
}

function componentOf(dir: ProblemDirectory, type: string, crash: ParsedCrash): string {
  const family = PROBLEM_TYPE_SPECS[type]?.family;
  if (family === 'kerneloops') return 'kernel';
  if (family === 'anaconda') return 'anaconda';
  const named = dir.text('component')?.trim() || dir.text('pkg_name')?.trim();
  if (named) return named;
  const exe = dir.text('executable')?.trim() ?? crash.executable;
  // satyr names unpackaged executables this way.
  return exe ? `${exe.split('/').pop()}-unpackaged` : 'unknown';
}

function hardwareOf(dir: ProblemDirectory, crash: ParsedCrash): HardwareFacts {
  const cpuinfo = dir.text('cpuinfo');
  const lsblk = dir.text('lsblk_output');
  return {
    ...(cpuinfo ? cpuFromCpuinfo(cpuinfo) : {}),
    ...(crash.hardwareName ? systemFromHardwareName(crash.hardwareName) : {}),
    ...(lsblk ? { diskModels: diskModelsFromLsblk(lsblk) } : {}),
    ...(crash.taintFlags?.length ? { taintFlags: crash.taintFlags } : {}),
    ...(crash.modules?.length ? { kernelModules: crash.modules.slice(0, 200) } : {}),
  };
}

function anacondaVersion(crash: ParsedCrash): string | undefined {
  return (crash as ParsedAnacondaDump).anacondaVersion;
}

/** ABRT's local occurrence counter (`count`), within the per-report bound; a directory without one stands for one crash. */
export function problemOccurrences(dir: ProblemDirectory): number {
  const count = Number.parseInt(dir.text('count') ?? '1', 10) || 1;
  return Math.min(INPUT_BOUNDS.maxOccurrencesPerReport, Math.max(1, count));
}

/** An ABRT problem directory (any supported type) as the hub's CrashInput. */
export function crashFromProblemDir(dir: ProblemDirectory): CrashInput {
  const type = dir.text('type')?.trim() ?? '';
  if (!PROBLEM_TYPE_SPECS[type]) throw new CrashInputError(`unknown problem type '${type}'`);
  const crash = parseStack(dir, type);
  const time = Number.parseInt(dir.text('time') ?? '', 10);
  const version = dir.text('pkg_version')?.trim();
  const release = dir.text('pkg_release')?.trim();
  const kernel = dir.text('kernel')?.trim() || crash.kernelVersion;
  const machineId = dir.text('machineid')?.trim();
  return {
    problemType: type,
    crash,
    component: componentOf(dir, type, crash),
    executable: dir.text('executable')?.trim() || crash.executable,
    reason: dir.text('reason')?.trim().split('\n')[0],
    crashedAt: Number.isFinite(time) ? new Date(time * 1000) : undefined,
    packageName: dir.text('pkg_name')?.trim() || dir.text('component')?.trim(),
    packageVersion: version ? (release ? `${version}-${release}` : version) : anacondaVersion(crash),
    osRelease: dir.text('os_release')?.trim().split('\n')[0],
    kernel,
    architecture: dir.text('architecture')?.trim(),
    duphash: dir.text('duphash')?.trim(),
    hostKey: machineId ? hostKeyFromMachineId(machineId) : undefined,
    occurrences: problemOccurrences(dir),
    hardware: hardwareOf(dir, crash),
  };
}
