import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { ApiTags } from '@nestjs/swagger';
import { JobQueue } from '../../../../libs/queue/src';
import { CandidateSearch } from '../../../../libs/search/src';
import { Access } from '../access/access-policy';

@ApiTags('health')
@Controller('health')
@Access('public')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly queue: JobQueue,
    private readonly search: CandidateSearch,
  ) {}

  private async probe(key: string, ping: () => Promise<void>) {
    const indicator = this.indicators.check(key);
    try {
      await ping();
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: String(error) });
    }
  }

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.db.pingCheck('database'),
      () => this.probe('queue', () => this.queue.ping()),
      () => this.probe('search', () => this.search.ping()),
    ]);
  }
}
