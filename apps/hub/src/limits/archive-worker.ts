import { parentPort } from 'node:worker_threads';
import { inspectProblemDirUpload, ProblemDirRefusal } from '../../../../libs/crash-reports/src/problem-dir-intake';
import { ArchiveRejectedError, readArchiveStream } from '../../../../libs/storage/src/archive';
import type { ArchiveJob, ArchiveJobFailure, ArchiveJobReply } from './archive-job';

/** Runs archive jobs on a worker thread: inflating (bzip2 is synchronous) never holds up the HTTP thread. */
async function run(job: ArchiveJob): Promise<ArchiveJobReply> {
  try {
    if (job.op === 'entries') {
      const data = Buffer.from(job.data.buffer, job.data.byteOffset, job.data.byteLength);
      const { entries } = await readArchiveStream(data, job.limits, { maxStreamBytes: job.maxStreamBytes });
      return { id: job.id, ok: { op: 'entries', entries } };
    }
    const source = 'file' in job.source ? job.source : Buffer.from(job.source.buffer, job.source.byteOffset, job.source.byteLength);
    return { id: job.id, ok: { op: 'problem-dir', dir: await inspectProblemDirUpload(source, job.limits, job.maxStreamBytes, job.hostId) } };
  } catch (error) {
    const failure: ArchiveJobFailure =
      error instanceof ArchiveRejectedError ? { kind: 'archive', code: error.code, message: error.message, entry: error.entry }
      : error instanceof ProblemDirRefusal ? { kind: 'refusal', status: error.status, message: error.message }
      : { kind: 'error', message: String((error as Error)?.stack ?? error) };
    return { id: job.id, failed: failure };
  }
}

parentPort!.on('message', (job: ArchiveJob) => {
  void run(job).then((reply) => parentPort!.postMessage(reply));
});
