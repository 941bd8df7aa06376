import { Controller, Headers, HttpCode, Post, Req, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { CepIntakeAnswer } from '../../../../libs/contracts/src/cep';
import { Access } from '../access/access-policy';
import { ReportIntakeService } from './report-intake.service';
import { SenderCountryService } from './sender-country.service';

/** CEP telemetry from `cep-agent`: report.tar.gz, idempotent by the manifest's report id. */
@ApiTags('ingestion')
@Controller('api/v1/cep-reports')
@Access('ingest')
export class CepIngestController {
  constructor(
    private readonly intake: ReportIntakeService,
    private readonly senderCountry: SenderCountryService,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'CEP report.tar.gz (raw application/gzip body or multipart `file`); headers X-Report-Id, X-Host-Id' })
  @ApiConsumes('application/gzip', 'multipart/form-data')
  @UseInterceptors(FileInterceptor('file'))
  async create(@UploadedFile() file: Express.Multer.File | undefined, @Req() req: Request, @Headers() headers: Record<string, string>): Promise<CepIntakeAnswer> {
    const meta = { ...this.intake.parseMetaHeaders(headers, 'agent'), country: this.senderCountry.countryOf(req) };
    const body = file?.buffer ?? (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
    const result = await this.intake.acceptCepReport(body, meta);
    return { id: result.id, status: 'stored', duplicate: !result.created, hostIdShared: result.hostIdShared };
  }
}
