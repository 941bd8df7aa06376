import { Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { JobHandler, JobQueue, PermanentJobError } from './job-queue';
import { JobData, jobKeyOf, JobName, QUEUES, QueueName, ReportJobData, reportJobOptions } from './queue-names';

interface BullOptions {
  attempts: number;
  backoffMs: number;
  concurrency: number;
  /** An enqueue that cannot reach Redis gives up after this; the report stays stored and is swept later. */
  enqueueTimeoutMs?: number;
}

/** Bull on Redis (queues registered through @nestjs/bull): shared by API and worker processes. */
export class BullJobQueue extends JobQueue {
  private readonly logger = new Logger(BullJobQueue.name);
  private readonly queues: Map<QueueName, Queue<JobData>>;
  private readonly handlers = new Map<string, JobHandler<JobData>>();
  private readonly consuming = new Set<QueueName>();

  constructor(queues: Record<QueueName, Queue<JobData>>, private readonly options: BullOptions) {
    super();
    this.queues = new Map(Object.entries(queues) as Array<[QueueName, Queue<JobData>]>);
    for (const [name, queue] of this.queues) {
      queue.on('error', (error) => this.logger.warn(`queue ${name}: ${error.message}`));
    }
  }

  private queue(name: QueueName): Queue<JobData> {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`queue ${name} is not registered`);
    return queue;
  }

  async enqueue(queue: QueueName, job: JobName, data: JobData): Promise<void> {
    const { attempts, backoffMs } = this.options;
    // While Redis is away, fail at once rather than wait out the timeout for every report.
    if (this.queue(queue).client.status !== 'ready') throw new Error(`redis is ${this.queue(queue).client.status}`);
    const add = this.queue(queue).add(job, data, reportJobOptions(jobKeyOf(data), attempts, backoffMs));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('enqueue timed out')), this.options.enqueueTimeoutMs ?? 2000);
    });
    try {
      await Promise.race([add, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async requeue(queue: QueueName, job: JobName, data: JobData): Promise<void> {
    const existing = await this.queue(queue).getJob(jobKeyOf(data));
    if (existing && ((await existing.isCompleted()) || (await existing.isFailed()))) await existing.remove();
    await this.enqueue(queue, job, data);
  }

  handle<D extends JobData = ReportJobData>(queue: QueueName, job: JobName, handler: JobHandler<D>): void {
    this.handlers.set(`${queue}/${job}`, handler as JobHandler<JobData>);
    if (this.consuming.has(queue)) return;
    this.consuming.add(queue);
    // One catch-all processor per queue: Bull adds up the concurrency of named processors.
    void this.queue(queue).process('*', this.options.concurrency, async (bullJob) => {
      const run = this.handlers.get(`${queue}/${bullJob.name}`);
      if (!run) throw new Error(`no handler for job ${bullJob.name}`);
      const attempt = bullJob.attemptsMade + 1;
      try {
        await run(bullJob.data, {
          jobId: String(bullJob.id),
          attempt,
          isFinalAttempt: attempt >= (bullJob.opts.attempts ?? 1),
        });
      } catch (error) {
        if (error instanceof PermanentJobError) await bullJob.discard();
        throw error;
      }
    });
  }

  async ping(): Promise<void> {
    const client = await this.queue(QUEUES.reports).isReady();
    await client.client.ping();
  }

  async close(): Promise<void> {
    // @nestjs/bull closes the queues it created on module destroy.
  }
}
