import { createHash } from 'node:crypto';
import { fafBthash, parseKernelOops } from '../../crash-signature/src';
import type { CrashFamily, CrashFrame } from '../../crash-signature/src/crash-thread';
import type { UReportProblem, UReportV2 } from '../../contracts/src/crash/ureport.schema';
import type { CrashInput } from './crash-input';

const FAMILY: Record<UReportProblem['type'], CrashFamily> = {
  core: 'core',
  python: 'python',
  kerneloops: 'kerneloops',
  java: 'java',
  ruby: 'ruby',
};

function framesOf(problem: UReportProblem): CrashFrame[] {
  switch (problem.type) {
    case 'core': {
      const thread = problem.stacktrace.find((t) => t.crash_thread) ?? problem.stacktrace[0];
      return thread.frames.map((f) => ({
        function: f.function_name,
        file: f.file_name,
        module: f.file_name.split('/').pop(),
        buildId: f.build_id,
        buildIdOffset: f.build_id_offset,
        address: f.address,
      }));
    }
    case 'python':
    case 'ruby':
      // satyr already lists the innermost frame first.
      return problem.stacktrace.map((f) => ({
        function: f.function_name ?? (f.special_function ? `<${f.special_function}>` : undefined),
        file: f.file_name,
        line: f.file_line,
      }));
    case 'kerneloops':
      return problem.frames.map((f) => ({
        function: f.function_name,
        functionOffset: f.function_offset,
        module: f.module_name,
        address: f.address,
        reliable: f.reliable,
      }));
    case 'java':
      return problem.threads[0].frames.map((f) => ({
        function: f.name,
        file: f.class_path ?? f.file_name,
        line: f.file_line,
      }));
  }
}

/** FAF's public report hash; ruby reports (not hashed by FAF) get the component-only hash. */
export function bthashOf(problem: UReportProblem): string {
  return fafBthash(problem as Parameters<typeof fafBthash>[0]);
}

/** A uReport's `auth.machineid` identifies a host; only its hash is kept. */
export function hostKeyFromMachineId(machineId: string): string {
  return 'mid:' + createHash('sha256').update(machineId).digest('hex').slice(0, 32);
}

export function crashFromUReport(report: UReportV2): CrashInput {
  const { problem } = report;
  // libreport's AuthDataItems say `machineid`; satyr's own samples spell it `machine_id`.
  const machineId = report.auth?.machineid ?? report.auth?.machine_id;
  const affected = report.packages.find((p) => p.package_role === 'affected') ?? report.packages[0];
  // The raw oops says what kind of report it was (WARNING, hung task, KASAN...); satyr's frames don't.
  const kernelReport = problem.type === 'kerneloops' && problem.raw_oops ? parseKernelOops(problem.raw_oops).kernelReport : undefined;
  return {
    problemType: problem.type,
    crash: {
      family: FAMILY[problem.type],
      frames: framesOf(problem),
      ...(kernelReport ? { kernelReport } : {}),
      exceptionName: 'exception_name' in problem ? problem.exception_name : undefined,
      signal: problem.type === 'core' ? problem.signal : undefined,
      executable: problem.type === 'core' ? problem.executable : undefined,
      kernelVersion: problem.type === 'kerneloops' ? problem.version : undefined,
      taintFlags: problem.type === 'kerneloops' ? problem.taint_flags : undefined,
      modules: problem.type === 'kerneloops' ? problem.modules : undefined,
    },
    component: problem.component,
    executable: problem.type === 'core' ? problem.executable : undefined,
    reason: report.reason,
    packageName: affected?.name,
    packageVersion: affected ? `${affected.version}-${affected.release}` : undefined,
    osRelease: `${report.os.name} ${report.os.version}`,
    kernel: problem.type === 'kerneloops' ? problem.version : undefined,
    architecture: report.os.architecture,
    bthash: bthashOf(problem),
    hostKey: machineId ? hostKeyFromMachineId(machineId) : undefined,
    // Each uReport is one occurrence; `serial` only says which one it was on that host.
    occurrences: 1,
    hardware:
      problem.type === 'kerneloops'
        ? { taintFlags: problem.taint_flags, kernelModules: problem.modules?.slice(0, 200) }
        : {},
  };
}
