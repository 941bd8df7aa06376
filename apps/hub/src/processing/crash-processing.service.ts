import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { HubConfig } from '../../../../libs/config/src';
import { CrashInputError } from '../../../../libs/crash-reports/src/crash-input';
import { JobContext } from '../../../../libs/queue/src';
import { ArchiveRejectedError } from '../../../../libs/storage/src/archive';
import { RawReportEntity } from '../../../../libs/storage/src/entities';
import { HUB_CONFIG } from '../config/hub-config.provider';
import { CrashLinkService } from '../fleet/crash-link.service';
import { CrashGroupingService } from '../grouping/crash-grouping.service';
import { RawReportRepository } from '../ingest/raw-report.repository';
import { HubMetrics } from '../metrics/hub-metrics.service';
import { ReportIndexerService } from '../search/report-indexer.service';
import { AttemptResult, ProcessingAttemptService } from './processing-attempt.service';
import { decodeRawCrash, type DecodedCrash } from './raw-crash-decoder';

/** Turns a stored raw crash report into a grouped crash report, exactly once. */
@Injectable()
export class CrashProcessingService {
  private readonly logger = new Logger(CrashProcessingService.name);

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rawReports: RawReportRepository,
    private readonly grouping: CrashGroupingService,
    private readonly indexer: ReportIndexerService,
    private readonly crashLinks: CrashLinkService,
    private readonly attempts: ProcessingAttemptService,
    private readonly metrics: HubMetrics,
  ) {}

  decode(raw: RawReportEntity): Promise<DecodedCrash> {
    return decodeRawCrash(raw, this.config.limits.archive, this.config.machineIdKey);
  }

  /**
   * One transaction: lock the raw row, group, mark processed. A worker dying midway rolls back,
   * and the report is processed again later; a report already processed is skipped.
   */
  async process(reportId: string, job: JobContext): Promise<'processed' | 'rejected' | 'skipped'> {
    const { jobId, attempt } = job;
    return this.attempts.run('crash', reportId, job, async () => {
      const result = await this.dataSource.transaction(async (m): Promise<AttemptResult> => {
        const raw = await this.rawReports.lockQueued(m, reportId);
        if (!raw) return { outcome: 'skipped' };
        await this.rawReports.countAttempt(m, reportId, attempt);
        let decoded: DecodedCrash;
        try {
          decoded = await this.decode(raw);
        } catch (error) {
          if (!(error instanceof CrashInputError || error instanceof ArchiveRejectedError || error instanceof SyntaxError)) throw error;
          const reason = (error as Error).message;
          await this.rawReports.finish(m, reportId, 'rejected', reason);
          this.logger.warn({ msg: 'report rejected', reportId, jobId, attempt, reason });
          return { outcome: 'rejected', receivedAt: raw.receivedAt, reason };
        }
        const link = await this.crashLinks.linkFor(m, {
          hostId: raw.hostId,
          crashedAt: decoded.crashedAt,
          hardware: decoded.input.hardware,
          kernel: decoded.input.kernel ?? null,
          labels: decoded.labels,
          country: raw.country,
        });
        const { candidateId, grouping } = await this.grouping.groupAndStore(m, decoded.input, {
          id: reportId,
          crashedAt: decoded.crashedAt,
          hostKey: decoded.hostKey,
          labels: decoded.labels,
          hostId: raw.hostId,
          ...link,
        });
        if (decoded.minimised) await this.rawReports.replacePayload(m, reportId, decoded.minimised, 'gzip');
        await this.rawReports.finish(m, reportId, 'processed', null);
        this.logger.log({ msg: 'report grouped', reportId, jobId, attempt, candidateId, method: grouping.method, distance: grouping.distance });
        this.metrics.groupingDecisions.inc({ method: grouping.method });
        return { outcome: 'processed', receivedAt: raw.receivedAt };
      });
      // After the commit, and again on a retry that finds the report done: indexing is idempotent.
      if (result.outcome !== 'rejected') await this.indexer.indexReports([reportId]);
      return result;
    });
  }
}
