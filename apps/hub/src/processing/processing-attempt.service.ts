import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { describeError, isUnavailableError } from '../../../../libs/observability/src/error-description';
import { rejectionReason } from '../../../../libs/observability/src/report-outcomes';
import { JobContext, PermanentJobError } from '../../../../libs/queue/src';
import { RawReportRepository } from '../ingest/raw-report.repository';
import { HubMetrics } from '../metrics/hub-metrics.service';

/** Metric label: which job processes the report. */
export type ProcessingKind = 'crash' | 'cep';

export type AttemptResult =
  | { outcome: 'processed'; receivedAt: Date }
  | { outcome: 'rejected'; receivedAt: Date; reason: string }
  | { outcome: 'skipped' };

/**
 * One processing attempt of a stored report, whatever its kind: timed, counted, and on failure
 * logged with its reason (never the payload) and retried, or rejected on the last attempt.
 * The attempt itself is counted inside the processing transaction (countAttempt), so a failure
 * before or inside it is counted here.
 */
@Injectable()
export class ProcessingAttemptService {
  private readonly logger = new Logger('ReportProcessing');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rawReports: RawReportRepository,
    private readonly metrics: HubMetrics,
  ) {}

  async run(kind: ProcessingKind, reportId: string, job: JobContext, attempt: () => Promise<AttemptResult>): Promise<AttemptResult['outcome']> {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    let result: AttemptResult;
    try {
      result = await attempt();
    } catch (error) {
      await this.failed(kind, reportId, job, error, seconds());
      throw job.isFinalAttempt ? new PermanentJobError(describeError(error)) : error;
    }
    this.metrics.processingSeconds.observe({ kind, result: result.outcome }, seconds());
    if (result.outcome !== 'skipped') {
      this.metrics.outcome(result.outcome, { kind, reason: result.outcome === 'rejected' ? rejectionReason(result.reason) : '' });
      this.metrics.reportLatencySeconds.observe({ kind }, Math.max(0, (Date.now() - result.receivedAt.getTime()) / 1000));
    }
    return result.outcome;
  }

  private async failed(kind: ProcessingKind, reportId: string, job: JobContext, error: unknown, seconds: number): Promise<void> {
    const reason = describeError(error);
    const { jobId, attempt, isFinalAttempt } = job;
    this.metrics.processingSeconds.observe({ kind, result: 'failed' }, seconds);
    this.logger.warn({ msg: 'processing attempt failed', reportId, jobId, kind, attempt, final: isFinalAttempt, reason });
    try {
      await this.rawReports.countAttempt(this.dataSource, reportId, attempt);
      if (isFinalAttempt) await this.rawReports.rejectIfQueued(reportId, `processing failed: ${reason}`);
    } catch (recordError) {
      // The database is likely what failed: the job's attempt number restores the count later,
      // and a final failure left queued is picked up again by the recovery sweep.
      this.logger.warn({ msg: 'could not record the failed attempt', reportId, jobId, attempt, reason: describeError(recordError) });
    }
    if (isFinalAttempt) this.metrics.outcome('rejected', { kind, reason: 'processing-failed' });
    else this.metrics.outcome('retried', { kind, reason: isUnavailableError(error) ? 'unavailable' : 'error' });
  }
}
