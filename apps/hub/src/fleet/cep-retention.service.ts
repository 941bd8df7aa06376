import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { HubConfig } from '../../../../libs/config/src';
import { HUB_CONFIG } from '../config/hub-config.provider';
import { describeError } from '../../../../libs/observability/src/error-description';

const DAY_MS = 86_400_000;
const BATCH = 1000;

/**
 * Worker role: deletes processed report.tar.gz once they are older than the retention period.
 * Profiles, collector records, processed-report summaries and rollups stay.
 */
@Injectable()
export class CepRetentionService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CepRetentionService.name);
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      void this.sweep(new Date()).catch((error) => this.logger.warn({ msg: 'retention sweep failed', error: describeError(error) }));
    }, this.config.fleet.retentionIntervalMs);
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Returns how many archives were deleted; batches keep each statement short. */
  async sweep(now: Date): Promise<number> {
    const before = new Date(now.getTime() - this.config.fleet.cepRawRetentionDays * DAY_MS);
    let total = 0;
    for (;;) {
      const [, deleted]: [unknown, number] = await this.dataSource.query(
        `DELETE FROM raw_report WHERE id IN (
           SELECT id FROM raw_report WHERE kind = 'cep' AND status <> 'queued' AND received_at < $1 LIMIT ${BATCH})`,
        [before],
      );
      total += deleted;
      if (deleted < BATCH) break;
    }
    if (total) this.logger.log({ msg: 'expired CEP archives deleted', count: total, olderThan: before.toISOString() });
    return total;
  }
}
