import type { JobData, JobName, QueueName, ReportJobData } from './queue-names';

export interface JobContext {
  jobId: string;
  attempt: number;
  /** True on the last attempt: a failure now is final. */
  isFinalAttempt: boolean;
}

export type JobHandler<D extends JobData = ReportJobData> = (data: D, ctx: JobContext) => Promise<void>;

/** Thrown by a handler when retrying cannot help (bad input); the job is not retried. */
export class PermanentJobError extends Error {}

/** Port the services enqueue through; Bull in production, an in-process queue when embedded. */
export abstract class JobQueue {
  abstract enqueue(queue: QueueName, job: JobName, data: JobData): Promise<void>;
  /**
   * Enqueues a report the database still shows as unprocessed. A finished or failed job left
   * under its id is stale (the worker died before committing), so it is replaced.
   */
  abstract requeue(queue: QueueName, job: JobName, data: JobData): Promise<void>;
  /** Registers the handler that runs jobs of this name (worker role only). */
  abstract handle<D extends JobData = ReportJobData>(queue: QueueName, job: JobName, handler: JobHandler<D>): void;
  abstract ping(): Promise<void>;
  abstract close(): Promise<void>;

  /** Nest shuts factory-made providers down through this hook. */
  onModuleDestroy(): Promise<void> {
    return this.close();
  }
}
