import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RawReportEntity } from '../../../../libs/storage/src/entities';
import { CrashProcessingService } from '../processing/crash-processing.service';
import { CrashGroupingService } from './crash-grouping.service';
import { RegroupingRepository } from './regrouping.repository';
import { RegroupingService, RegroupSummary } from './regrouping.service';

const BATCH = 200;

/**
 * `reprocess`: regroups every stored crash with the current normalization data, keeping QA's rules.
 * Reports stored before grouping inputs were kept get them from their raw upload first.
 */
@Injectable()
export class ReprocessService {
  private readonly logger = new Logger(ReprocessService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regroupingRepository: RegroupingRepository,
    private readonly regrouping: RegroupingService,
    private readonly processing: CrashProcessingService,
  ) {}

  async run(): Promise<RegroupSummary & { backfilled: number }> {
    const backfilled = await this.backfillInputs();
    return { ...(await this.regrouping.regroupAll()), backfilled };
  }

  private async backfillInputs(): Promise<number> {
    const m = this.dataSource.manager;
    let after = '00000000-0000-0000-0000-000000000000';
    let filled = 0;
    for (;;) {
      const ids = await this.regroupingRepository.reportsWithoutInput(m, after, BATCH);
      if (!ids.length) return filled;
      after = ids[ids.length - 1];
      for (const id of ids) {
        const raw = await m.getRepository(RawReportEntity).findOne({ where: { id } });
        if (!raw) continue;
        try {
          const { input } = await this.processing.decode(raw);
          await this.regroupingRepository.saveInput(m, id, { frames: input.crash.frames as never, fallbackKey: CrashGroupingService.fallbackKey(input) });
          filled++;
        } catch (error) {
          // Keeps its stored frames: regrouping still places it, only without re-normalizing.
          this.logger.warn({ msg: 'raw report not decodable for reprocess', id, error: String(error) });
        }
      }
    }
  }
}
