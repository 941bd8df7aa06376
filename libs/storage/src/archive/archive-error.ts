export type ArchiveRejectionCode =
  | 'unknown-format'
  | 'corrupt'
  | 'truncated'
  | 'unsafe-path'
  | 'duplicate-entry'
  | 'link-entry'
  | 'device-entry'
  | 'unsupported-entry'
  | 'too-many-entries'
  | 'too-large'
  | 'not-a-problem-dir';

/** Thrown for every archive we refuse; `entry` names the offending member when there is one. */
export class ArchiveRejectedError extends Error {
  override readonly name = 'ArchiveRejectedError';

  constructor(
    readonly code: ArchiveRejectionCode,
    message: string,
    readonly entry?: string,
  ) {
    super(message);
  }
}
