import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobQueue, JOBS, QUEUES, RegroupJobData } from '../../../../libs/queue/src';
import { RegroupingService } from './regrouping.service';

/** Worker role: binds the regroup job to its service. */
@Injectable()
export class RegroupProcessor implements OnModuleInit {
  constructor(
    private readonly queue: JobQueue,
    private readonly regrouping: RegroupingService,
  ) {}

  onModuleInit(): void {
    this.queue.handle(QUEUES.regrouping, JOBS.regroupComponent, async (data, ctx) => {
      const { family, component } = data as RegroupJobData;
      await this.regrouping.regroupScope(family, component, 'better-exemplar', `${JOBS.regroupComponent}:${ctx.jobId}`);
    });
  }
}
