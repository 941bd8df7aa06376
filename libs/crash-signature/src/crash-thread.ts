/**
 * The crash thread as every parser hands it on: frames innermost (crashing) first,
 * whatever order the source format used.
 */
export interface CrashFrame {
  /** Function name as found (unnormalized); undefined when unknown (`??`). */
  function?: string;
  /** Source file (Python, Java) or binary/library path (core). */
  file?: string;
  line?: number;
  /** Kernel module (oops) or shared object basename (core). */
  module?: string;
  buildId?: string;
  buildIdOffset?: number;
  address?: number;
  /** Kernel oops frames printed with `?` are unreliable. */
  reliable?: boolean;
  /** Offset inside the function (oops `func+0x1a/0x40`). */
  functionOffset?: number;
  /**
   * A callee inlined into the next (real) frame: from retracing a core frame with debuginfo, or a symbolized
   * kernel trace's `[inline]`. Grouping treats it as any other frame of its module.
   */
  inlined?: boolean;
  /** Core frames retraced with debuginfo: the source file (`line` is its line). */
  sourceFile?: string;
  /** Kernel oops frames printed inside an `<IRQ>`, `<NMI>` or `<SOFTIRQ>` section. */
  kernelContext?: 'irq' | 'nmi' | 'softirq';
}

/**
 * Grouping families: reports are only compared within one family.
 * vmcore oopses group with kernel oopses; Python and Python3 are one family.
 */
export type CrashFamily = 'core' | 'python' | 'kerneloops' | 'xorg' | 'java' | 'ruby' | 'anaconda';

export interface ParsedCrash {
  family: CrashFamily;
  frames: CrashFrame[];
  /** Exception class (Python, Java, anaconda). */
  exceptionName?: string;
  signal?: number;
  executable?: string;
  /** Kernel oops extras. */
  kernelVersion?: string;
  taintFlags?: string[];
  modules?: string[];
  /** `Hardware name:` line of an oops, e.g. `LENOVO 7505/...`. */
  hardwareName?: string;
}
