import { Body, Controller, Get, Header, Param, ParseUUIDPipe, Post, Query, Redirect, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { MergeCandidatesSchema, SplitReportSchema } from '../../../../libs/contracts/src';
import {
  CONSOLE_CSP,
  renderCandidatePage,
  renderCandidateQueuePage,
  renderHardwareSearchPage,
  renderReportPage,
  renderRigsPage,
  type UrlParams,
} from '../../../../libs/console-pages/src';
import { Access } from '../access/access-policy';
import { ConsoleErrorFilter } from './console-error.filter';
import { CandidatePageQuerySchema, MergeSelectedSchema, NOTICES } from './console.schema';
import { ConsoleService } from './console.service';

const HTML = 'text/html; charset=utf-8';

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
  @Header('Content-Type', HTML)
  @Header('Content-Security-Policy', CONSOLE_CSP)
  @Header('Cache-Control', 'no-store')
  async queue(@Query() params: UrlParams): Promise<string> {
    const view = await this.console.queue(params);
    return renderCandidateQueuePage({ ...view, canMerge: true, notice: NOTICES[String(params.done)] ?? null });
  }

  @Post('candidates/merge')
  @Access('qa')
  @Redirect('/candidates', 303)
  async mergeSelected(@Body({ schema: MergeSelectedSchema }) body: { ids: string[] }) {
    const target = await this.console.mergeSelected(body.ids);
    return { url: `/candidates/${target}?done=merged-selected` };
  }

  @Get('candidates/:id')
  @Access('viewer')
  @Header('Content-Type', HTML)
  @Header('Content-Security-Policy', CONSOLE_CSP)
  @Header('Cache-Control', 'no-store')
  async candidate(@Param('id', new ParseUUIDPipe()) id: string, @Query({ schema: CandidatePageQuerySchema }) q: { reports: number; done?: string }): Promise<string> {
    const view = await this.console.candidate(id, q.reports);
    return renderCandidatePage({ ...view, canMerge: true, notice: q.done ? (NOTICES[q.done] ?? null) : null });
  }

  @Post('candidates/:id/merge')
  @Access('qa')
  @Redirect('/candidates', 303)
  async merge(@Param('id', new ParseUUIDPipe()) id: string, @Body({ schema: MergeCandidatesSchema }) body: { sourceId: string }) {
    await this.console.merge(id, body.sourceId);
    return { url: `/candidates/${id}?done=merged` };
  }

  @Post('candidates/:id/split')
  @Access('qa')
  @Redirect('/candidates', 303)
  async split(@Param('id', new ParseUUIDPipe()) id: string, @Body({ schema: SplitReportSchema }) body: { reportId: string }) {
    const created = await this.console.split(id, body.reportId);
    return { url: `/candidates/${created}?done=split` };
  }

  @Get('hardware')
  @Access('viewer')
  @Header('Content-Type', HTML)
  @Header('Content-Security-Policy', CONSOLE_CSP)
  @Header('Cache-Control', 'no-store')
  async hardware(@Query() params: UrlParams): Promise<string> {
    return renderHardwareSearchPage(await this.console.hardwareSearch(params));
  }

  @Get('reports/:id')
  @Access('viewer')
  @Header('Content-Type', HTML)
  @Header('Content-Security-Policy', CONSOLE_CSP)
  @Header('Cache-Control', 'no-store')
  async report(@Param('id', new ParseUUIDPipe()) id: string): Promise<string> {
    return renderReportPage(await this.console.report(id));
  }

  @Get('rigs')
  @Access('viewer')
  @Header('Content-Type', HTML)
  @Header('Content-Security-Policy', CONSOLE_CSP)
  @Header('Cache-Control', 'no-store')
  async rigs(): Promise<string> {
    return renderRigsPage(await this.console.rigs());
  }
}
