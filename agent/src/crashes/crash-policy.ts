import * as path from 'node:path';
import { isAllowed } from '../privacy/allow-lists';
import policy from './crash-policy.json';
import { type Problem } from './problem-reader';

export const DEFAULT_CRASH_PACKAGES: readonly string[] = policy.packages;
const OWNED_PATHS = policy.ownedPaths;
export const PATH_PLACEHOLDER = policy.pathPlaceholder;

export interface CrashPolicySettings {
  /** ABRT's ProcessUnpackaged: crashes of programs no package owns. */
  process_unpackaged: boolean;
  /** Package name patterns whose crashes may be sent. */
  packages: readonly string[];
  /** Rigs test the vendor's builds before they are packages. */
  rig_unpackaged: boolean;
}

/** Why a crash stays on the host; undefined when it may be sent. */
export function withheldReason(problem: Problem, settings: CrashPolicySettings, rig: boolean): string | undefined {
  const type = problem.elements.get('type')?.trim() ?? '';
  const element = (name: string) => problem.elements.get(name)?.trim() || undefined;
  const pkg = policy.kernelTypes.includes(type) ? (element('pkg_name') ?? 'kernel') : policy.installerTypes.includes(type) ? (element('pkg_name') ?? 'anaconda') : element('pkg_name');
  if (!pkg) {
    if (rig && settings.rig_unpackaged) return undefined;
    if (!settings.process_unpackaged) return 'unpackaged program (crashes.process_unpackaged is off, as ABRT ProcessUnpackaged = no)';
    return undefined;
  }
  if (!isAllowed(settings.packages, pkg)) return `package ${pkg} is not in crashes.packages`;
  return undefined;
}

/** An absolute path outside package-owned locations, such as /srv/cust-x/app/main.py. */
const PATH = /(?<![\w.~\]/-])\/(?:[\w.+@%~-]+\/)+[\w.+@%~-]*/g;

/** Where pip and venvs install packages: what follows is a package's own layout, not the customer's. */
const PYTHON_LIB = /\/lib(?:64)?\/python\d+(?:\.\d+)?\/(?:site-packages|dist-packages)\//;

/**
 * Customer paths keep only their base name: `/srv/cust-x/app/main.py` → `[local]/main.py`; a
 * package inside a venv keeps its layout from the interpreter's library on, as the hub normalizes it.
 */
export function reduceLocalPaths(text: string): string {
  return text.replace(PATH, (p) => {
    if (OWNED_PATHS.some((owned) => p.startsWith(owned))) return p;
    const lib = PYTHON_LIB.exec(p);
    return `${PATH_PLACEHOLDER}${lib ? p.slice(lib.index) : `/${path.posix.basename(p)}`}`;
  });
}
