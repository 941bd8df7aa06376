import { Body, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, ParseUUIDPipe, Post, Put, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { timingSafeEqual } from 'node:crypto';
import type { HubConfig } from '../../../../libs/config/src';
import { Access } from '../access/access-policy';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import type { Principal } from '../access/principal';
import { HUB_CONFIG } from '../config/hub-config.provider';
import { AutoFilingService } from './auto-filing.service';
import { JiraConnectionService } from './jira-connection.service';
import { JiraErrorFilter } from './jira-error.filter';
import { JiraSyncService } from './jira-sync.service';
import { AutoFilingRun, AutoFilingRunSchema, CreateTicket, CreateTicketSchema, JiraWebhook, JiraWebhookSchema, LinkTicket, LinkTicketSchema, ManualStateBody, ManualStateSchema } from './qa.schema';
import { TicketService } from './ticket.service';
import { TriageService } from './triage.service';

@ApiTags('qa')
@Controller('api/v1')
@UseFilters(JiraErrorFilter)
export class QaController {
  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    private readonly tickets: TicketService,
    private readonly triage: TriageService,
    private readonly jira: JiraConnectionService,
    private readonly sync: JiraSyncService,
    private readonly autoFiling: AutoFilingService,
  ) {}

  @Post('qa/auto-filing/run')
  @HttpCode(200)
  @Access('qa')
  @ApiOperation({ summary: 'Automatic filing for rig clusters: dryRun lists what the rules would file and skip; a real run needs AUTO_FILING=on' })
  runAutoFiling(@Body({ schema: AutoFilingRunSchema }) body: AutoFilingRun, @CurrentPrincipal() by: Principal) {
    return this.autoFiling.run(body.dryRun, by);
  }

  @Get('qa/jira/check')
  @Access('qa')
  @ApiOperation({ summary: 'Test the Jira connection, credentials, project, issue type and required fields' })
  check() {
    return this.jira.check();
  }

  @Post('qa/jira/sync')
  @HttpCode(200)
  @Access('qa')
  @ApiOperation({ summary: 'Poll Jira for linked tickets now and re-evaluate fixes and regressions' })
  syncNow(@CurrentPrincipal() by: Principal) {
    return this.sync.sync(undefined, by);
  }

  @Post('qa/jira/webhook/:secret')
  @HttpCode(204)
  @Access('public')
  @ApiOperation({ summary: 'Jira webhook (issue updated); the secret in the URL stands in for a signature Jira < 10 cannot send' })
  async webhook(@Param('secret') secret: string, @Body({ schema: JiraWebhookSchema }) body: JiraWebhook) {
    const expected = this.config.jira?.webhookSecret;
    const a = Buffer.from(secret);
    const b = Buffer.from(expected ?? '');
    if (!expected || a.length !== b.length || !timingSafeEqual(a, b)) throw new NotFoundException();
    await this.sync.issueChanged(body.issue.key);
  }

  @Get('qa/filings/:id')
  @Access('developer')
  @ApiOperation({ summary: 'A ticket filing: pending, done (issue key) or failed (Jira error verbatim)' })
  filing(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.tickets.filing(id);
  }

  @Get('candidates/:id/ticket/preview')
  @Access('developer')
  @ApiOperation({ summary: 'The Jira ticket as it would be filed: summary, wiki-markup description and fields' })
  preview(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.tickets.preview(id);
  }

  @Get('candidates/:id/ticket/create-form')
  @Access('developer')
  @ApiOperation({ summary: "Jira's create form prefilled with the preview, for filing by hand without hub credentials" })
  createForm(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.tickets.createFormUrl(id);
  }

  @Post('candidates/:id/ticket')
  @HttpCode(202)
  @Access('qa')
  @ApiOperation({ summary: 'File the candidate in Jira (once per request id; an existing ticket is answered instead)' })
  create(@Param('id', new ParseUUIDPipe()) id: string, @Body({ schema: CreateTicketSchema }) body: CreateTicket, @CurrentPrincipal() by: Principal) {
    return this.tickets.requestCreate(id, body.requestId, by, body);
  }

  @Post('candidates/:id/ticket/link')
  @HttpCode(200)
  @Access('qa')
  @ApiOperation({ summary: 'Link an existing Jira issue (OVZ-123 or its URL); several candidates may share one' })
  link(@Param('id', new ParseUUIDPipe()) id: string, @Body({ schema: LinkTicketSchema }) body: LinkTicket, @CurrentPrincipal() by: Principal) {
    return this.tickets.linkExisting(id, body.issue, by);
  }

  @Delete('candidates/:id/ticket/:key')
  @Access('qa')
  @ApiOperation({ summary: 'Unlink a Jira issue from the candidate' })
  unlink(@Param('id', new ParseUUIDPipe()) id: string, @Param('key') key: string, @CurrentPrincipal() by: Principal) {
    return this.tickets.unlink(id, key, by);
  }

  @Get('candidates/:id/triage')
  @Access('viewer')
  @ApiOperation({ summary: 'Triage state, linked tickets, "probably fixed in", and the triage log (who, when, what)' })
  view(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.triage.view(id);
  }

  @Put('candidates/:id/triage/manual')
  @Access('qa')
  @ApiOperation({ summary: 'Ignore or mute, optionally until a version or a number of further reports; sync never overrides it' })
  setManual(@Param('id', new ParseUUIDPipe()) id: string, @Body({ schema: ManualStateSchema }) body: ManualStateBody, @CurrentPrincipal() by: Principal) {
    return this.triage.setManual(id, body, by);
  }

  @Delete('candidates/:id/triage/manual')
  @Access('qa')
  @ApiOperation({ summary: 'Lift a manual ignore or mute' })
  clearManual(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() by: Principal) {
    return this.triage.setManual(id, null, by);
  }
}
