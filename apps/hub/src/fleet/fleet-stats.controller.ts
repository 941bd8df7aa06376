import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { LiveTrendQuery, LiveTrendQuerySchema } from '../../../../libs/contracts/src';
import { Access } from '../access/access-policy';
import { FleetStatsService } from './fleet-stats.service';

/** Public, read-only, unauthenticated: what stats7-web showed, with small cells suppressed. */
@ApiTags('statistics')
@Controller('api/v1/stats')
@Access('public')
export class FleetStatsController {
  constructor(private readonly stats: FleetStatsService) {}

  @Get()
  @ApiOperation({ summary: 'Live servers today and the list of breakdowns' })
  summary() {
    return this.stats.summary();
  }

  @Get('live-servers')
  @ApiOperation({ summary: 'Daily live-server count (reported within the live window) over the last `days` days' })
  liveServers(@Query({ schema: LiveTrendQuerySchema }) query: LiveTrendQuery) {
    return this.stats.liveTrend(query.days);
  }

  @Get('breakdowns')
  @ApiOperation({ summary: 'Every breakdown of live servers at once' })
  breakdowns() {
    return this.stats.allBreakdowns();
  }

  @Get('breakdowns/:name')
  @ApiOperation({ summary: 'One breakdown of live servers: counts and shares per value, small cells suppressed' })
  breakdown(@Param('name') name: string) {
    return this.stats.breakdown(name);
  }
}
