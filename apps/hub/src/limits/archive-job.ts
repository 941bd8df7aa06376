import type { InspectedProblemDir } from '../../../../libs/crash-reports/src/problem-dir-intake';
import type { ArchiveLimits, ArchiveRejectionCode } from '../../../../libs/storage/src/archive';

/** What the archive worker threads are asked to do, and what they answer (structured-clone safe). */
export type ArchiveJob =
  | { id: number; op: 'entries'; data: Uint8Array; limits: ArchiveLimits; maxStreamBytes: number }
  | { id: number; op: 'problem-dir'; source: Uint8Array | { file: string }; limits: ArchiveLimits; maxStreamBytes: number; hostId?: string };

export type ArchiveJobFailure =
  | { kind: 'archive'; code: ArchiveRejectionCode; message: string; entry?: string }
  | { kind: 'refusal'; status: 400 | 413 | 422; message: string }
  | { kind: 'error'; message: string };

export type ArchiveJobResult =
  | { op: 'entries'; entries: Map<string, Uint8Array> }
  | { op: 'problem-dir'; dir: InspectedProblemDir };

export type ArchiveJobReply = { id: number; ok: ArchiveJobResult; failed?: undefined } | { id: number; ok?: undefined; failed: ArchiveJobFailure };
