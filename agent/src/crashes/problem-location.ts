/** Where a problem was found: an ABRT problem directory, a python-meh dump file, or a kdump directory. */
export type ProblemKind = 'abrt' | 'anaconda' | 'kdump';

export interface ProblemLocation {
  kind: ProblemKind;
  /** Absolute path of the directory (abrt, kdump) or dump file (anaconda). */
  path: string;
}

/** Dedup key: one problem per location. */
export function problemKey(location: ProblemLocation): string {
  return `${location.kind}:${location.path}`;
}
