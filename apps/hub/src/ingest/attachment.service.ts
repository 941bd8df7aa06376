import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { describeZodError, UReportAttachmentSchema } from '../../../../libs/contracts/src';
import { ReportAttachmentEntity } from '../../../../libs/storage/src/entities';
import { ReportedTo, reportedToOf } from './faf-reported-to';

/** FAF attachments: bug ids and notes that clients link to a bthash. */
@Injectable()
export class AttachmentService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async attach(body: unknown): Promise<void> {
    let json = body;
    if (Buffer.isBuffer(body)) {
      try {
        json = JSON.parse(body.toString());
      } catch (error) {
        throw new BadRequestException(`attachment is not valid JSON: ${(error as Error).message}`);
      }
    }
    const parsed = UReportAttachmentSchema.safeParse(json);
    if (!parsed.success) throw new BadRequestException(`invalid attachment: ${describeZodError(parsed.error)}`);
    await this.dataSource.getRepository(ReportAttachmentEntity).insert(parsed.data);
  }

  /** A bthash is known when an earlier report (not this one) carried it, or a client attached to it. */
  async isKnown(bthash: string, exceptReportId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM crash_report WHERE bthash = $1 AND id <> $2
       UNION ALL SELECT 1 FROM report_attachment WHERE bthash = $1 LIMIT 1`,
      [bthash, exceptReportId],
    );
    return rows.length > 0;
  }

  /** Bugs and URLs attached to the bthash, oldest first, each once, as FAF lists them. */
  async trackerLinks(bthash: string): Promise<ReportedTo[]> {
    const rows = await this.dataSource.getRepository(ReportAttachmentEntity).find({ where: { bthash }, order: { createdAt: 'ASC' } });
    const links = rows.map(reportedToOf).filter((l): l is ReportedTo => l !== null);
    return links.filter((l, i) => links.findIndex((o) => o.value === l.value) === i);
  }
}
