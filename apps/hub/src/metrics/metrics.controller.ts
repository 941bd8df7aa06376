import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AggregatorRegistry, Registry } from 'prom-client';
import { JobQueue, QUEUES } from '../../../../libs/queue/src';
import { Access } from '../access/access-policy';
import { RawReportRepository } from '../ingest/raw-report.repository';
import { HubMetrics } from './hub-metrics.service';
import { MetricsPublisher } from './metrics-publisher.service';
import { liveGauges } from './queue-gauges';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: HubMetrics,
    private readonly publisher: MetricsPublisher,
    private readonly queue: JobQueue,
    private readonly rawReports: RawReportRepository,
  ) {}

  @Get()
  @Access('metrics')
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @ApiOperation({ summary: 'Prometheus metrics: report outcomes, queue depth and age, latencies, grouping, CEP collectors, HTTP' })
  async scrape(): Promise<string> {
    const live = liveGauges(
      {
        queues: await Promise.all(Object.values(QUEUES).map(async (queue) => ({ queue, depth: await this.queue.depth(queue) }))),
        stored: await this.rawReports.unprocessedSummary(),
      },
      Date.now(),
    );
    const snapshots = [await this.metrics.registry.getMetricsAsJSON(), ...(await this.publisher.peers()), await live.getMetricsAsJSON()];
    return AggregatorRegistry.aggregate(snapshots).metrics();
  }
}
