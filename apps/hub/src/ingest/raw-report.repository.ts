import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { RawReportEntity, RawReportKind, RawReportStatus } from '../../../../libs/storage/src/entities';

export interface NewRawReport {
  id: string;
  kind: RawReportKind;
  source: string;
  encoding: string;
  payload: Buffer;
  contentSha256: string;
  hostId?: string | null;
  labels?: Record<string, string>;
  occurrences?: number;
  country?: string | null;
  crashKey?: string | null;
  bthash?: string | null;
  skippedEntries?: string[];
  /** Set: stored as `waiting` (not queued) for this reason. */
  waitingReason?: string;
}

export interface ReportStatusRow {
  id: string;
  kind: RawReportKind;
  status: RawReportStatus;
  rejectReason: string | null;
  waitingReason: string | null;
  skippedEntries: string[];
  receivedAt: Date;
  processedAt: Date | null;
  processingAttempts: number;
  candidateId: string | null;
}

@Injectable()
export class RawReportRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Inserts unless the id exists; returns false for a retried upload. */
  async insertOnce(report: NewRawReport, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(RawReportEntity)
      .values({
        ...report,
        payloadBytes: report.payload.length,
        hostId: report.hostId ?? null,
        labels: report.labels ?? {},
        occurrences: report.occurrences ?? 1,
        crashKey: report.crashKey ?? null,
        bthash: report.bthash ?? null,
        skippedEntries: report.skippedEntries ?? [],
        waitingReason: report.waitingReason ?? null,
        status: report.waitingReason ? 'waiting' : 'queued',
      })
      .orIgnore()
      .returning(['id'])
      .execute();
    return result.raw.length > 0;
  }

  /** The stored content hash of a report id, to tell a retry from a conflicting upload. */
  async contentSha256Of(id: string): Promise<string | undefined> {
    const rows: Array<{ sha: string }> = await this.dataSource.query('SELECT content_sha256 AS sha FROM raw_report WHERE id = $1', [id]);
    return rows[0]?.sha;
  }

  /** Processing state, and the candidate once the report is grouped. */
  async findStatus(id: string): Promise<ReportStatusRow | null> {
    const rows: ReportStatusRow[] = await this.dataSource.query(
      `SELECT r.id, r.kind, r.status, r.reject_reason AS "rejectReason",
              r.waiting_reason AS "waitingReason", r.skipped_entries AS "skippedEntries", r.received_at AS "receivedAt",
              r.processed_at AS "processedAt", r.processing_attempts AS "processingAttempts",
              c.candidate_id AS "candidateId"
         FROM raw_report r LEFT JOIN crash_report c ON c.id = r.id
        WHERE r.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Locks the row for the processing transaction; null if another worker has it or it is done. */
  lockQueued(manager: EntityManager, id: string): Promise<RawReportEntity | null> {
    return manager
      .getRepository(RawReportEntity)
      .createQueryBuilder('r')
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .where('r.id = :id AND r.status = :status', { id, status: 'queued' })
      .getOne();
  }

  async finish(manager: EntityManager, id: string, status: RawReportStatus, reason: string | null): Promise<void> {
    await manager
      .getRepository(RawReportEntity)
      .update({ id }, { status, rejectReason: reason, processedAt: new Date() });
  }

  /** After the final failed attempt: the report is marked rejected unless another worker finished it. */
  /** A processed archive replaced by its minimised form (what processing and QA still need). */
  async replacePayload(manager: EntityManager, id: string, payload: Buffer, encoding: string): Promise<void> {
    await manager.query(`UPDATE raw_report SET payload = $2, payload_bytes = $3, encoding = $4 WHERE id = $1`, [id, payload, payload.length, encoding]);
  }

  async rejectIfQueued(id: string, reason: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      if (await this.lockQueued(m, id)) await this.finish(m, id, 'rejected', reason);
    });
  }

  /**
   * Counts a processing attempt: inside the processing transaction when it succeeds, on its own
   * after a failure. The job's attempt number covers failures that could not be recorded (database
   * away), so the total stays right either way.
   */
  async countAttempt(manager: EntityManager | DataSource, id: string, attempt: number): Promise<void> {
    await manager.query(
      'UPDATE raw_report SET processing_attempts = GREATEST(processing_attempts + 1, $2) WHERE id = $1',
      [id, attempt],
    );
  }

  /** How many stored reports await processing, and since when the oldest does (partial index). */
  async unprocessedSummary(): Promise<{ queued: number; oldestReceivedAt: Date | null }> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS queued, min(received_at) AS oldest FROM raw_report WHERE status = 'queued'`,
    );
    return { queued: row.queued, oldestReceivedAt: row.oldest ? new Date(row.oldest) : null };
  }

  /** Reports stored but not yet processed, oldest first (recovery after a crash or Redis outage). */
  async listQueued(kinds: RawReportKind[], olderThan: Date, limit: number): Promise<Array<{ id: string; kind: RawReportKind }>> {
    const qb = this.dataSource
      .getRepository(RawReportEntity)
      .createQueryBuilder('r')
      .select(['r.id', 'r.kind'])
      .where(`r.status = 'queued' AND r.receivedAt < :olderThan`, { olderThan })
      .orderBy('r.receivedAt', 'ASC')
      .limit(limit);
    return qb.andWhere('r.kind IN (:...kinds)', { kinds }).getMany();
  }
}
