import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { HubConfig } from '../../../../libs/config/src';
import { JOB_FOR_REPORT_KIND } from '../../../../libs/queue/src';
import type { RawReportKind } from '../../../../libs/storage/src/entities';
import { HUB_CONFIG } from '../config/hub-config.provider';
import { RawReportRepository } from '../ingest/raw-report.repository';
import { ReportIntakeService } from '../ingest/report-intake.service';
import { describeError } from '../../../../libs/observability/src/error-description';

const BATCH = 5000;

/**
 * Worker role: re-enqueues stored reports that never reached the queue or whose job was lost
 * (Redis down at ingest, worker killed). Job ids are report ids, so a live job is not duplicated.
 */
@Injectable()
export class ReportRecoveryService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReportRecoveryService.name);
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly rawReports: RawReportRepository,
    private readonly intake: ReportIntakeService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sweep(new Date());
    this.timer = setInterval(() => {
      void this.sweep(new Date(Date.now() - this.config.jobs.recoveryGraceMs)).catch((error) =>
        this.logger.warn({ msg: 'recovery sweep failed', error: describeError(error) }),
      );
    }, this.config.jobs.recoveryIntervalMs);
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** One batch per call; a larger backlog drains over the following intervals. */
  async sweep(olderThan: Date): Promise<number> {
    const kinds = Object.keys(JOB_FOR_REPORT_KIND) as RawReportKind[];
    const batch = await this.rawReports.listQueued(kinds, olderThan, BATCH);
    for (const report of batch) await this.intake.enqueue(report.id, report.kind, true);
    if (batch.length) this.logger.log({ msg: 're-enqueued stored reports', count: batch.length });
    return batch.length;
  }
}
