import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { describeZodError, UReportAttachmentSchema } from '../../../../libs/contracts/src';
import { ReportAttachmentEntity } from '../../../../libs/storage/src/entities';
import { AuditTrail } from '../access/audit-trail.service';
import { hasRole, Principal } from '../access/principal';

/**
 * Who may have an attachment kept: what is linked to a bthash is shown to every later reporter of that
 * crash (stock reporter-ureport prints it), so an anonymous caller must not be able to plant links there.
 * QA may attach anything; a test rig's key may attach all but URLs.
 */
function mayStore(principal: Principal, type: string): boolean {
  if (hasRole(principal, 'qa')) return true;
  return principal.kind === 'rig' && type !== 'url';
}

/** FAF attachments: bug ids and notes that clients link to a bthash. */
@Injectable()
export class AttachmentService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * Validates the attachment and keeps it when the caller may attach; stock clients get the same
   * answer either way (`stored` tells the two apart).
   */
  async attach(body: unknown, principal: Principal): Promise<boolean> {
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
    if (!mayStore(principal, parsed.data.type)) return false;
    await this.dataSource.transaction(async (m) => {
      const row = await m.getRepository(ReportAttachmentEntity).save(m.getRepository(ReportAttachmentEntity).create(parsed.data));
      await this.audit.record(principal, 'attachment.create', { type: 'bthash', id: row.bthash }, null, { id: row.id, type: row.type, data: row.data }, m);
    });
    return true;
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

  async trackerLinks(bthash: string): Promise<Array<{ reporter: string; type: string; value: string }>> {
    const rows = await this.dataSource.getRepository(ReportAttachmentEntity).find({ where: { bthash } });
    return rows
      .filter((r) => r.type.endsWith('bugzilla') || r.type === 'url' || r.type.endsWith('jira'))
      .map((r) => ({ reporter: r.type, type: r.type === 'url' ? 'url' : 'bug', value: r.data }));
  }
}
