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
  UseGuards,
} from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AgentCrashReport, AgentCrashReportSchema } from '../../../../libs/contracts/src';
import { Access } from '../access/access-policy';
import { UploadSpoolService } from '../limits/upload-spool.service';
import { IngestTokenGuard } from './ingest-token.guard';
import { RawReportRepository } from './raw-report.repository';
import { ReportIntakeService } from './report-intake.service';
import { SenderCountryService } from './sender-country.service';

/** The hub's native ingestion API (agent, test rigs, reporter-upload). */
@ApiTags('ingestion')
@Controller()
export class CrashIngestController {
  constructor(
    private readonly intake: ReportIntakeService,
    private readonly rawReports: RawReportRepository,
    private readonly senderCountry: SenderCountryService,
    private readonly spool: UploadSpoolService,
  ) {}

  @Post('api/v1/crash-reports')
  @HttpCode(202)
  @UseGuards(IngestTokenGuard)
  @ApiOperation({ summary: 'Agent crash report: uReport v2 with host id, labels and an idempotency key (reportId)' })
  async createCrashReport(@Body({ schema: AgentCrashReportSchema }) report: AgentCrashReport, @Req() req: Request) {
    const result = await this.intake.acceptAgentCrash(report, this.senderCountry.countryOf(req));
    return { id: result.id, status: 'queued', duplicate: !result.created, bthash: result.bthash };
  }

  @Post('api/v1/crash-archives')
  @Access('ingest')
  @HttpCode(202)
  @UseGuards(IngestTokenGuard)
  @ApiOperation({ summary: 'ABRT problem directory as .tar.gz/.tar.xz/.tar.bz2 (raw body or multipart `file`), streamed; cores are skipped' })
  @ApiConsumes('application/gzip', 'application/x-xz', 'application/x-bzip2', 'multipart/form-data')
  createCrashArchive(@Req() req: Request, @Headers() headers: Record<string, string>) {
    return this.acceptStreamed(req, headers);
  }

  /** libreport `reporter-upload` with an http(s) URL uploads with PUT (curl -T). */
  @Put('upload/:name')
  @Access('ingest')
  @HttpCode(202)
  @UseGuards(IngestTokenGuard)
  @ApiOperation({ summary: 'reporter-upload target: PUT <hub>/upload/<dir>.tar.gz, streamed; cores are skipped' })
  upload(@Req() req: Request, @Headers() headers: Record<string, string>) {
    return this.acceptStreamed(req, headers);
  }

  private async acceptStreamed(req: Request, headers: Record<string, string>) {
    const meta = { ...this.intake.parseMetaHeaders(headers, 'upload'), country: this.senderCountry.countryOf(req) };
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

  @Get('api/v1/reports/:id')
  @ApiOperation({ summary: 'Processing state of an accepted report: queued, processed or rejected (with reason)' })
  async status(@Param('id', new ParseUUIDPipe()) id: string) {
    const report = await this.rawReports.findStatus(id);
    if (!report) throw new NotFoundException(`report ${id} not found`);
    return report;
  }
}
