import { BullModule, getQueueToken } from '@nestjs/bull';
import { DynamicModule, Module } from '@nestjs/common';
import type { Queue } from 'bull';
import type { HubConfig } from '../../../../libs/config/src';
import { BULL_REDIS_OPTIONS, BullJobQueue, InlineJobQueue, JobQueue, QUEUES } from '../../../../libs/queue/src';

/** Provides the JobQueue port: Bull (via @nestjs/bull) when Redis is configured, in-process otherwise. */
@Module({})
export class QueueModule {
  static forRoot(config: HubConfig): DynamicModule {
    const { attempts, backoffMs, concurrency } = config.jobs;
    if (config.queue.kind === 'inline') {
      return {
        module: QueueModule,
        global: true,
        providers: [{ provide: JobQueue, useFactory: () => new InlineJobQueue({ attempts, backoffMs, concurrency }) }],
        exports: [JobQueue],
      };
    }
    return {
      module: QueueModule,
      global: true,
      imports: [
        BullModule.forRoot({
          url: config.queue.redisUrl,
          prefix: config.queue.prefix,
          redis: BULL_REDIS_OPTIONS,
          // A killed worker's job goes back to waiting once its lock lapses.
          settings: { lockDuration: config.jobs.lockMs, stalledInterval: config.jobs.lockMs, maxStalledCount: 3 },
        }),
        BullModule.registerQueue({ name: QUEUES.reports }, { name: QUEUES.jira }, { name: QUEUES.regrouping }),
      ],
      providers: [
        {
          provide: JobQueue,
          inject: [getQueueToken(QUEUES.reports), getQueueToken(QUEUES.jira), getQueueToken(QUEUES.regrouping)],
          useFactory: (reports: Queue, jira: Queue, regrouping: Queue) =>
            new BullJobQueue(
              { [QUEUES.reports]: reports, [QUEUES.jira]: jira, [QUEUES.regrouping]: regrouping },
              { attempts, backoffMs, concurrency },
            ),
        },
      ],
      exports: [JobQueue],
    };
  }
}
