import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobQueue, JOBS, QUEUES } from '../../../../libs/queue/src';
import { CepProcessingService } from './cep-processing.service';

/** Worker role: binds the CEP-report job to its service. */
@Injectable()
export class CepReportProcessor implements OnModuleInit {
  constructor(
    private readonly queue: JobQueue,
    private readonly processing: CepProcessingService,
  ) {}

  onModuleInit(): void {
    this.queue.handle(QUEUES.reports, JOBS.processCepReport, async ({ reportId }, ctx) => {
      await this.processing.process(reportId, ctx);
    });
  }
}
