import { Controller, Get, NotFoundException, Param, Redirect } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../access/access-policy';
import { CandidateDetailRepository } from '../candidates/candidate-detail.repository';

/**
 * The link libreport keeps: `<hub>/reports/bthash/<hash>` leads to the candidate's console page.
 * The `ABRT Server` URL `<hub>/reports/<id>` is the console's report page.
 */
@ApiTags('faf-compat')
@Controller()
export class ReportLinksController {
  constructor(private readonly candidates: CandidateDetailRepository) {}

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
}
