import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Req,
  UseFilters,
} from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AgentCrashReport, AgentCrashReportSchema } from '../../../../libs/contracts/src';
import { labelsWithRig } from '../../../../libs/access/src';
import { Access } from '../access/access-policy';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import { Principal, rigOf } from '../access/principal';
import { UploadSpoolService } from '../limits/upload-spool.service';
import { AcceptsContent } from './accepted-content.guard';
import { IntakeErrorFilter } from './intake-error.filter';
import { RawReportRepository } from './raw-report.repository';
import { ReportIntakeService } from './report-intake.service';
import { SenderCountryService } from './sender-country.service';

/**
 * The hub's native ingestion API (agent, test rigs, reporter-upload). Anyone may send (unless
 * INGEST_MODE=keys); the report id, unguessable, lets its sender read the outcome.
 */
@ApiTags('ingestion')
@Controller()
@Access('ingest')
export class CrashIngestController {
  constructor(
    private readonly intake: ReportIntakeService,
    private readonly rawReports: RawReportRepository,
    private readonly senderCountry: SenderCountryService,
    private readonly spool: UploadSpoolService,
  ) {}

  @Post('api/v1/crash-reports')
  @HttpCode(202)
  @Access('ingest')
  @UseFilters(IntakeErrorFilter)
  @AcceptsContent('crashReport')
  @ApiOperation({ summary: 'Agent crash report: uReport v2 with host id, labels and an idempotency key (reportId)' })
  async createCrashReport(@Body({ schema: AgentCrashReportSchema }) report: AgentCrashReport, @Req() req: Request, @CurrentPrincipal() principal: Principal) {
    const labels = labelsWithRig(report.labels, rigOf(principal));
    const result = await this.intake.acceptAgentCrash({ ...report, labels }, this.senderCountry.countryOf(req));
    return { id: result.id, status: 'queued', duplicate: !result.created, bthash: result.bthash };
  }

  @Post('api/v1/crash-archives')
  @Access('ingest')
  @HttpCode(202)
  @UseFilters(IntakeErrorFilter)
  @AcceptsContent('crashArchive')
  @ApiOperation({ summary: 'ABRT problem directory as .tar.gz/.tar.xz/.tar.bz2 (raw body or multipart `file`), streamed; cores are skipped' })
  @ApiConsumes('application/gzip', 'application/x-xz', 'application/x-bzip2', 'multipart/form-data')
  createCrashArchive(@Req() req: Request, @Headers() headers: Record<string, string>, @CurrentPrincipal() principal: Principal) {
    return this.acceptStreamed(req, headers, principal);
  }

  /** libreport `reporter-upload` with an http(s) URL uploads with PUT (curl -T). */
  @Put('upload/:name')
  @Access('ingest')
  @HttpCode(202)
  @UseFilters(IntakeErrorFilter)
  @AcceptsContent('upload')
  @ApiOperation({ summary: 'reporter-upload target: PUT <hub>/upload/<dir>.tar.gz, streamed; cores are skipped' })
  upload(@Req() req: Request, @Headers() headers: Record<string, string>, @CurrentPrincipal() principal: Principal) {
    return this.acceptStreamed(req, headers, principal);
  }

  private async acceptStreamed(req: Request, headers: Record<string, string>, principal: Principal) {
    const meta = this.meta(headers, req, principal);
    const upload = await this.spool.spool(req);
    try {
      const result = await this.intake.acceptProblemDirArchive({ file: upload.file }, upload.bytes, meta);
      return {
        id: result.id,
        status: result.waitingReason ? 'waiting' : 'queued',
        duplicate: !result.created,
        problemType: result.problemType,
        ...(result.skipped?.length ? { skipped: result.skipped } : {}),
        ...(result.waitingReason ? { reason: result.waitingReason } : {}),
      };
    } finally {
      await upload.remove();
    }
  }

  /** Upload headers, the sender's country, and a rig key's labels. */
  private meta(headers: Record<string, string>, req: Request, principal: Principal) {
    const parsed = this.intake.parseMetaHeaders(headers, 'upload');
    return { ...parsed, labels: labelsWithRig(parsed.labels, rigOf(principal)), country: this.senderCountry.countryOf(req) };
  }

  @Get('api/v1/reports/:id')
  @Access('ingest')
  @ApiOperation({ summary: 'Processing state of an accepted report: queued, processed or rejected (with reason)' })
  async status(@Param('id', new ParseUUIDPipe()) id: string) {
    const report = await this.rawReports.findStatus(id);
    if (!report) throw new NotFoundException(`report ${id} not found`);
    return report;
  }
}
