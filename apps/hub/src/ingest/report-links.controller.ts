import { Controller, Get, NotFoundException, Param, ParseUUIDPipe, Redirect } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../access/access-policy';
import { CandidateDetailRepository } from '../candidates/candidate-detail.repository';
import { RawReportRepository } from './raw-report.repository';

/**
 * The links the stock clients keep: libreport stores `<hub>/reports/bthash/<hash>` and the
 * `ABRT Server` URL `<hub>/reports/<id>` in the problem dir's `reported_to`. Both lead to the
 * report's candidate at its stable path `/candidates/<id>`.
 */
@ApiTags('faf-compat')
@Controller()
export class ReportLinksController {
  constructor(
    private readonly rawReports: RawReportRepository,
    private readonly candidates: CandidateDetailRepository,
  ) {}

  @Get('reports/bthash/:hash')
  @Access('viewer')
  @Redirect()
  @ApiOperation({ summary: 'ABRT Analytics permalink: redirects to the candidate holding this bthash' })
  async byBthash(@Param('hash') hash: string) {
    if (!/^[0-9a-f]{1,256}$/i.test(hash)) throw new NotFoundException('a bthash is hexadecimal');
    const [id] = await this.candidates.candidatesByHash(hash.toLowerCase());
    if (!id) throw new NotFoundException(`no candidate holds a report with bthash ${hash} (yet)`);
    return { url: `/candidates/${id}`, statusCode: 302 };
  }

  @Get('reports/:id')
  @Access('viewer')
  @ApiOperation({ summary: "A report's link: its processing state and, once grouped, its candidate's path" })
  async report(@Param('id', new ParseUUIDPipe()) id: string) {
    const status = await this.rawReports.findStatus(id);
    if (!status) throw new NotFoundException(`report ${id} not found`);
    return { ...status, candidate: status.candidateId ? `/candidates/${status.candidateId}` : null };
  }

  /** Stable candidate path; JSON until the console serves its page here. */
  @Get('candidates/:id')
  @Access('viewer')
  @Redirect()
  @ApiOperation({ summary: 'The candidate (for now its JSON at /api/v1/candidates/<id>)' })
  candidate(@Param('id', new ParseUUIDPipe()) id: string) {
    return { url: `/api/v1/candidates/${id}`, statusCode: 302 };
  }
}
