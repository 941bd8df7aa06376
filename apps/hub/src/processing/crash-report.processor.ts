import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobQueue, JOBS, QUEUES } from '../../../../libs/queue/src';
import { CrashProcessingService } from './crash-processing.service';

/** Worker role: binds the crash-report job to its service. */
@Injectable()
export class CrashReportProcessor implements OnModuleInit {
  constructor(
    private readonly queue: JobQueue,
    private readonly processing: CrashProcessingService,
  ) {}

  onModuleInit(): void {
    this.queue.handle(QUEUES.reports, JOBS.processCrashReport, async ({ reportId }, ctx) => {
      await this.processing.process(reportId, ctx);
    });
  }
}
