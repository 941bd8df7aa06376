export { ArchiveRejectedError, type ArchiveRejectionCode } from './archive-error';
export { detectCompression, type ArchiveCompression } from './archive-format';
export { type ArchiveLimits, unpackBound } from './archive-limits';
export type { CompressedSource } from './decompress';
export {
  readArchive,
  readArchiveStream,
  type ArchiveEntries,
  type KeepEntry,
  type SkippedEntry,
  type StreamedArchive,
  type StreamOptions,
} from './safe-archive-reader';
export { toProblemDirectory, type ProblemDirectory } from './problem-directory';
export { packProblemDirectory } from './problem-dir-writer';
export { packTarGz } from './tar-writer';
