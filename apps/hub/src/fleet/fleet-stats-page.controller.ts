import { Controller, Get, Query, Redirect, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { LiveTrendQuery, LiveTrendQuerySchema } from '../../../../libs/contracts/src';
import { CONSOLE_CSP } from '../../../../libs/console-pages/src/layout';
import { renderFleetStatsPage } from '../../../../libs/fleet-dashboard/src';
import { Access } from '../access/access-policy';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import type { Principal } from '../access/principal';
import { viewerOf } from '../console/viewer';
import { FleetStatsService } from './fleet-stats.service';

/** The public statistics as a page for people: the same numbers as /api/v1/stats, no scripts. */
@ApiTags('statistics')
@Controller()
@Access('public')
export class FleetStatsPageController {
  constructor(private readonly stats: FleetStatsService) {}

  @Get()
  @Redirect('/stats', 302)
  @ApiOperation({ summary: 'The hub’s front page is its public statistics' })
  home() {
    return undefined;
  }

  @Get('stats')
  @ApiProduces('text/html')
  @ApiOperation({ summary: 'Public fleet statistics page: live servers, their trend over `days` days, every breakdown' })
  async page(@Query({ schema: LiveTrendQuerySchema }) query: LiveTrendQuery, @CurrentPrincipal() who: Principal, @Res({ passthrough: true }) res: Response): Promise<string> {
    const viewer = viewerOf(who);
    const html = renderFleetStatsPage(await this.stats.pageView(query.days), viewer);
    // Set here rather than by decorator, so a refused query still answers as JSON.
    res.set({
      'Content-Type': 'text/html; charset=utf-8',
      // Values on the page come from hosts; even if one slipped past escaping, nothing could run.
      'Content-Security-Policy': CONSOLE_CSP,
      // A signed-in person's copy names them and carries their sign-out form: never kept by shared caches.
      'Cache-Control': viewer ? 'private, no-store' : 'public, max-age=300',
    });
    return html;
  }
}
