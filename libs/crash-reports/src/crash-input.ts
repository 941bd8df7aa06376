import type { ParsedCrash } from '../../crash-signature/src/crash-thread';

/** Everything the hub takes from one crash, whatever shape it arrived in. */
export interface CrashInput {
  /** ABRT problem type (CCpp, Python3, Kerneloops, vmcore, xorg, Java, anaconda) or uReport type. */
  problemType: string;
  crash: ParsedCrash;
  component: string;
  executable?: string;
  reason?: string;
  crashedAt?: Date;
  packageName?: string;
  /** version-release, as QA reads it in the tracker. */
  packageVersion?: string;
  osRelease?: string;
  kernel?: string;
  architecture?: string;
  /** Client-side dedup hashes, so a client's hash finds its candidate. */
  duphash?: string;
  /** ABRT Analytics report hash (uReports only). */
  bthash?: string;
  /** Pseudonymous host key from the client's machine id (already hashed). */
  hostKey?: string;
  occurrences: number;
  hardware: HardwareFacts;
}

/** Hardware found inside the crash itself; partial by nature. */
export interface HardwareFacts {
  cpuVendor?: string;
  cpuModel?: string;
  cpuCount?: number;
  systemVendor?: string;
  systemModel?: string;
  biosVersion?: string;
  diskModels?: string[];
  taintFlags?: string[];
  kernelModules?: string[];
}

export class CrashInputError extends Error {}
