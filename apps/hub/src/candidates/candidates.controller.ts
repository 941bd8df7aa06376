import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CandidateQuery, CandidateQuerySchema, MergeCandidatesSchema, SplitReportSchema } from '../../../../libs/contracts/src';
import { Access } from '../access/access-policy';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import type { Principal } from '../access/principal';
import { CrashGroupingService } from '../grouping/crash-grouping.service';
import { TicketService } from '../qa/ticket.service';
import { CandidatesService } from './candidates.service';

@ApiTags('candidates')
@Controller('api/v1/candidates')
@Access('viewer')
export class CandidatesController {
  constructor(
    private readonly candidates: CandidatesService,
    private readonly grouping: CrashGroupingService,
    private readonly tickets: TicketService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Bug candidates, filtered (incl. host hardware: cpuVendor, diskKind, memory, country, origin, attr…) and sorted' })
  list(@Query({ schema: CandidateQuerySchema }) query: CandidateQuery) {
    return this.candidates.list(query);
  }

  @Get('by-hash/:hash')
  @ApiOperation({ summary: 'Candidates holding a report with this duphash, bthash or exact signature' })
  byHash(@Param('hash') hash: string) {
    return this.candidates.byHash(hash);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A candidate with its reports, hashes, grouping explanations and counts' })
  get(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.candidates.get(id);
  }

  @Get(':id/hardware')
  @ApiOperation({ summary: "The candidate's hosts per hardware attribute beside the live fleet, most over-represented first" })
  hardware(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.candidates.hardware(id);
  }

  @Post(':id/merge')
  @Access('qa')
  @HttpCode(200)
  @ApiOperation({ summary: 'Merge another candidate into this one; later matching reports follow' })
  async merge(@Param('id', new ParseUUIDPipe()) id: string, @Body({ schema: MergeCandidatesSchema }) body: { sourceId: string; note?: string }, @CurrentPrincipal() principal: Principal) {
    await this.grouping.merge(id, body.sourceId, body.note, principal);
    // The merge moved the source's Jira links in its transaction; the survivor's triage follows them.
    await this.tickets.afterMerge(id, body.sourceId, principal);
    return this.candidates.get(id);
  }

  @Post(':id/split')
  @Access('qa')
  @HttpCode(200)
  @ApiOperation({ summary: 'Split a report (and its exact signature) out into a new candidate' })
  async split(@Param('id', new ParseUUIDPipe()) id: string, @Body({ schema: SplitReportSchema }) body: { reportId: string; note?: string }, @CurrentPrincipal() principal: Principal) {
    const newId = await this.grouping.split(id, body.reportId, body.note, principal);
    return this.candidates.get(newId);
  }
}
