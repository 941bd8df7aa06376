import { Logger } from '@nestjs/common';
import { JobHandler, JobQueue, PermanentJobError } from './job-queue';
import { JobData, jobKeyOf, JobName, QueueName, ReportJobData } from './queue-names';

interface InlineOptions {
  attempts: number;
  backoffMs: number;
  concurrency: number;
}

/**
 * In-process queue for the embedded default: same handlers, same retry rules as Bull,
 * but nothing survives a restart (the recovery sweep re-enqueues from the database).
 */
export class InlineJobQueue extends JobQueue {
  private readonly logger = new Logger(InlineJobQueue.name);
  private readonly handlers = new Map<string, JobHandler<JobData>>();
  private readonly pending: Array<{ key: string; data: JobData; attempt: number }> = [];
  private readonly queuedIds = new Set<string>();
  private running = 0;
  private closed = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: InlineOptions) {
    super();
  }

  async enqueue(queue: QueueName, job: JobName, data: JobData): Promise<void> {
    const id = `${job}:${jobKeyOf(data)}`;
    if (this.queuedIds.has(id)) return;
    this.queuedIds.add(id);
    this.pending.push({ key: `${queue}/${job}`, data, attempt: 1 });
    this.drain();
  }

  requeue(queue: QueueName, job: JobName, data: JobData): Promise<void> {
    return this.enqueue(queue, job, data);
  }

  handle<D extends JobData = ReportJobData>(queue: QueueName, job: JobName, handler: JobHandler<D>): void {
    this.handlers.set(`${queue}/${job}`, handler as JobHandler<JobData>);
    this.drain();
  }

  async ping(): Promise<void> {}

  /** Pending jobs are dropped: their reports are still queued in the database and swept again. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private drain(): void {
    while (!this.closed && this.running < this.options.concurrency) {
      const index = this.pending.findIndex((p) => this.handlers.has(p.key));
      if (index < 0) return;
      const [item] = this.pending.splice(index, 1);
      this.running++;
      void this.run(item).finally(() => {
        this.running--;
        this.drain();
      });
    }
  }

  private async run(item: { key: string; data: JobData; attempt: number }): Promise<void> {
    const handler = this.handlers.get(item.key)!;
    const jobName = item.key.split('/')[1];
    const isFinalAttempt = item.attempt >= this.options.attempts;
    try {
      await handler(item.data, { jobId: jobKeyOf(item.data), attempt: item.attempt, isFinalAttempt });
      this.queuedIds.delete(`${jobName}:${jobKeyOf(item.data)}`);
    } catch (error) {
      if (error instanceof PermanentJobError || isFinalAttempt) {
        this.queuedIds.delete(`${jobName}:${jobKeyOf(item.data)}`);
        return;
      }
      const delay = this.options.backoffMs * 2 ** (item.attempt - 1);
      this.logger.warn(`job ${jobKeyOf(item.data)} attempt ${item.attempt} failed, retry in ${delay} ms: ${String(error)}`);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.pending.push({ ...item, attempt: item.attempt + 1 });
        this.drain();
      }, delay);
      this.timers.add(timer);
    }
  }
}
