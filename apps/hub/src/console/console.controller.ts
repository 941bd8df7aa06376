import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Redirect, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { MergeCandidatesSchema, SplitReportSchema } from '../../../../libs/contracts/src';
import {
  renderCandidatePage,
  renderCandidateQueuePage,
  renderHardwareSearchPage,
  renderReportPage,
  renderRigsPage,
  type UrlParams,
} from '../../../../libs/console-pages/src';
import { Access } from '../access/access-policy';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import { hasRole, type Principal } from '../access/principal';
import { ConsoleErrorFilter } from './console-error.filter';
import { ConsolePage } from './console-page.decorator';
import { CandidatePageQuerySchema, FileTicketFormSchema, LinkTicketFormSchema, MergeSelectedSchema, MuteFormSchema, MuteSelectedSchema, NOTICES } from './console.schema';
import { ConsoleService } from './console.service';
import { viewerOf } from './viewer';

/**
 * The console for QA and developers: server-rendered pages, plain forms posting and redirecting
 * (POST-redirect-GET), so everything works without JavaScript.
 */
@ApiExcludeController()
@Controller()
@UseFilters(ConsoleErrorFilter)
export class ConsoleController {
  constructor(private readonly console: ConsoleService) {}

  @Get('candidates')
  @Access('viewer')
  @ConsolePage()
  async queue(@Query() params: UrlParams, @CurrentPrincipal() who: Principal): Promise<string> {
    const view = await this.console.queue(params);
    return renderCandidateQueuePage({ ...view, viewer: viewerOf(who), canMerge: hasRole(who, 'qa'), notice: NOTICES[String(params.done)] ?? null });
  }

  @Post('candidates/merge')
  @Access('qa')
  @Redirect('/candidates', 303)
  async mergeSelected(@Body({ schema: MergeSelectedSchema }) body: { ids: string[] }, @CurrentPrincipal() who: Principal) {
    const target = await this.console.mergeSelected(body.ids, who);
    return { url: `/candidates/${target}?done=merged-selected` };
  }

  @Post('candidates/mute')
  @Access('qa')
  @Redirect('/candidates?done=muted-selected', 303)
  async muteSelected(@Body({ schema: MuteSelectedSchema }) body: { ids: string[] }, @CurrentPrincipal() who: Principal): Promise<void> {
    for (const id of body.ids) await this.console.mute(id, undefined, who);
  }

  @Get('candidates/:id')
  @Access('viewer')
  @ConsolePage()
  async candidate(@Param('id', new ParseUUIDPipe()) id: string, @Query({ schema: CandidatePageQuerySchema }) q: { reports: number; done?: string }, @CurrentPrincipal() who: Principal): Promise<string> {
    const view = await this.console.candidate(id, q.reports);
    return renderCandidatePage({ ...view, viewer: viewerOf(who), canMerge: hasRole(who, 'qa'), notice: q.done ? (NOTICES[q.done] ?? null) : null });
  }

  @Post('candidates/:id/merge')
  @Access('qa')
  @Redirect('/candidates', 303)
  async merge(@Param('id', new ParseUUIDPipe()) id: string, @Body({ schema: MergeCandidatesSchema }) body: { sourceId: string }, @CurrentPrincipal() who: Principal) {
    await this.console.merge(id, body.sourceId, who);
    return { url: `/candidates/${id}?done=merged` };
  }

  @Post('candidates/:id/split')
  @Access('qa')
  @Redirect('/candidates', 303)
  async split(@Param('id', new ParseUUIDPipe()) id: string, @Body({ schema: SplitReportSchema }) body: { reportId: string }, @CurrentPrincipal() who: Principal) {
    const created = await this.console.split(id, body.reportId, who);
    return { url: `/candidates/${created}?done=split` };
  }

  @Post('candidates/:id/ticket')
  @Access('qa')
  @Redirect('/candidates', 303)
  async fileTicket(@Param('id', new ParseUUIDPipe()) id: string, @Body({ schema: FileTicketFormSchema }) body: { requestId: string }, @CurrentPrincipal() who: Principal) {
    await this.console.fileTicket(id, body.requestId, who);
    return { url: `/candidates/${id}?done=filing#ticket` };
  }

  @Post('candidates/:id/ticket/link')
  @Access('qa')
  @Redirect('/candidates', 303)
  async linkTicket(@Param('id', new ParseUUIDPipe()) id: string, @Body({ schema: LinkTicketFormSchema }) body: { issue: string }, @CurrentPrincipal() who: Principal) {
    await this.console.linkTicket(id, body.issue, who);
    return { url: `/candidates/${id}?done=linked#ticket` };
  }

  @Post('candidates/:id/mute')
  @Access('qa')
  @Redirect('/candidates', 303)
  async mute(@Param('id', new ParseUUIDPipe()) id: string, @Body({ schema: MuteFormSchema }) body: { untilVersion?: string }, @CurrentPrincipal() who: Principal) {
    await this.console.mute(id, body.untilVersion, who);
    return { url: `/candidates/${id}?done=muted#ticket` };
  }

  @Post('candidates/:id/unmute')
  @Access('qa')
  @Redirect('/candidates', 303)
  async unmute(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() who: Principal) {
    await this.console.unmute(id, who);
    return { url: `/candidates/${id}?done=unmuted#ticket` };
  }

  @Get('hardware')
  @Access('viewer')
  @ConsolePage()
  async hardware(@Query() params: UrlParams, @CurrentPrincipal() who: Principal): Promise<string> {
    return renderHardwareSearchPage({ ...(await this.console.hardwareSearch(params)), viewer: viewerOf(who) });
  }

  @Get('reports/:id')
  @Access('viewer')
  @ConsolePage()
  async report(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() who: Principal): Promise<string> {
    return renderReportPage({ ...(await this.console.report(id)), viewer: viewerOf(who) });
  }

  @Get('rigs')
  @Access('viewer')
  @ConsolePage()
  async rigs(@CurrentPrincipal() who: Principal): Promise<string> {
    return renderRigsPage({ ...(await this.console.rigs()), viewer: viewerOf(who) });
  }
}

