import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';
import type { ReportOutcome } from '../../../../libs/observability/src/report-outcomes';

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const LATENCY = [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 24 * 3600];

/**
 * The counters and histograms this process produces. Each process (API, worker) has its own
 * registry; with Redis, each publishes it and the API's `/metrics` adds them up (MetricsPublisher).
 */
@Injectable()
export class HubMetrics {
  readonly registry = new Registry();

  readonly outcomes = new Counter({
    name: 'hub_report_outcomes_total',
    help: 'Every report\'s fate: accepted, duplicate, refused (reason), skipped_entry, processed, rejected (reason), retried, waiting_for_backtrace',
    labelNames: ['outcome', 'reason', 'kind'] as const,
    registers: [this.registry],
  });

  readonly processingSeconds = new Histogram({
    name: 'hub_processing_duration_seconds',
    help: 'Time one processing attempt took, by report kind and result',
    labelNames: ['kind', 'result'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });

  readonly reportLatencySeconds = new Histogram({
    name: 'hub_report_latency_seconds',
    help: 'From the 202 to the report being processed or rejected',
    labelNames: ['kind'] as const,
    buckets: LATENCY,
    registers: [this.registry],
  });

  readonly groupingDecisions = new Counter({
    name: 'hub_grouping_decisions_total',
    help: 'Crash reports grouped, by the grouping method that decided',
    labelNames: ['method'] as const,
    registers: [this.registry],
  });

  readonly cepCollectors = new Counter({
    name: 'hub_cep_collector_reports_total',
    help: 'CEP collector entries processed, by collector and the status the agent gave',
    labelNames: ['collector', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpSeconds = new Histogram({
    name: 'hub_http_request_duration_seconds',
    help: 'HTTP request duration by route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });

  outcome(outcome: ReportOutcome, labels: { reason?: string; kind?: string } = {}, count = 1): void {
    this.outcomes.inc({ outcome, reason: labels.reason ?? '', kind: labels.kind ?? '' }, count);
  }
}
