export { ArchiveRejectedError, type ArchiveRejectionCode } from './archive-error';
export { detectCompression, type ArchiveCompression } from './archive-format';
export type { ArchiveLimits } from './archive-limits';
export { readArchive, type ArchiveEntries } from './safe-archive-reader';
export { toProblemDirectory, type ProblemDirectory } from './problem-directory';
export { packProblemDirectory } from './problem-dir-writer';
