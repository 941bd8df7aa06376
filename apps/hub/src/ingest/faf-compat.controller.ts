import { Body, Controller, HttpCode, Post, Req, UploadedFile, UseFilters, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { labelsWithRig } from '../../../../libs/access/src';
import { Access } from '../access/access-policy';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import { Principal, rigOf } from '../access/principal';
import { AttachmentService } from './attachment.service';
import { FafErrorFilter } from './faf-error.filter';
import { ReportIntakeService } from './report-intake.service';
import { SenderCountryService } from './sender-country.service';

/**
 * Wire-compatible with ABRT Analytics, so stock `reporter-ureport` pointed at the hub works:
 * multipart field `file` (or a plain JSON body), FAF's response fields, `{"error"}` on failure.
 */
@ApiTags('faf-compat')
@Controller('reports')
@Access('ingest')
@UseFilters(FafErrorFilter)
export class FafCompatController {
  constructor(
    private readonly intake: ReportIntakeService,
    private readonly attachments: AttachmentService,
    private readonly senderCountry: SenderCountryService,
  ) {}

  @Post('new')
  @HttpCode(202)
  @ApiOperation({ summary: 'Submit a uReport v2 (ABRT Analytics /reports/new/)' })
  @ApiConsumes('multipart/form-data', 'application/json')
  @UseInterceptors(FileInterceptor('file'))
  async create(@UploadedFile() file: Express.Multer.File | undefined, @Body() body: unknown, @Req() req: Request, @CurrentPrincipal() principal: Principal) {
    const result = await this.intake.acceptUReport(file ? file.buffer : body, {
      source: 'faf',
      country: this.senderCountry.countryOf(req),
      labels: labelsWithRig(undefined, rigOf(principal)),
    });
    const known = await this.attachments.isKnown(result.bthash!, result.id);
    const base = `${req.protocol}://${req.get('host')}`;
    return {
      result: known,
      bthash: result.bthash,
      message: known ? 'This problem is already known to the hub.' : 'The report was accepted and will be processed.',
      reported_to: [
        { reporter: 'ABRT Server', type: 'url', value: `${base}/api/v1/reports/${result.id}` },
        { reporter: 'ABRT Server', type: 'bthash', value: result.bthash },
        ...(await this.attachments.trackerLinks(result.bthash!)),
      ],
      solutions: [],
    };
  }

  @Post('attach')
  @HttpCode(202)
  @ApiOperation({ summary: 'Link a bthash to a tracker bug, comment, e-mail or URL (/reports/attach/); kept only from QA or a rig key (no URLs)' })
  @ApiConsumes('multipart/form-data', 'application/json')
  @UseInterceptors(FileInterceptor('file'))
  async attach(@UploadedFile() file: Express.Multer.File | undefined, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const stored = await this.attachments.attach(file ? file.buffer : body, principal);
    return { result: true, stored };
  }
}
