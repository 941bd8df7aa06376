import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CollectorRecord } from '../../../../libs/host-profiles/src';
import {
  CepReportEntity,
  HostCollectorRecordEntity,
  HostEntity,
  HostProfileEntity,
} from '../../../../libs/storage/src/entities';
import { rebuildCandidateHostAttributes, syncCrashHardware } from '../../../../libs/storage/src/crash-hardware-sql';

export interface HostSighting {
  id: string;
  reportAt: Date;
  country: string | null;
  agentVersion: string;
  erasureKeyHash: string | null;
}

export type ProfileVersion = Pick<HostProfileEntity, 'id' | 'validFrom' | 'validTo' | 'hardwareFingerprint' | 'attributes'>;

export interface CrashToLink {
  id: string;
  crashedAt: Date;
  hardware: Record<string, unknown>;
  kernel: string | null;
  labels: Record<string, string>;
  country: string | null;
}

/** SQL behind hosts, their collector records, profile versions and crash links. */
@Injectable()
export class HostRepository {
  /**
   * Serializes everything that reads or writes one host's profile (CEP processing, crash linking,
   * erasure), including the moment before its host row exists.
   */
  async lockHost(m: EntityManager, hostId: string): Promise<void> {
    await m.query('SELECT pg_advisory_xact_lock(hashtextextended($1::text, 7))', [hostId]);
  }

  find(m: EntityManager, hostId: string): Promise<HostEntity | null> {
    return m.getRepository(HostEntity).findOne({ where: { id: hostId } });
  }

  /**
   * Records a CEP report's host; the newest report's country and version win. The erasure-key hash is
   * set once, by the report that creates the host (or the first that carries one): a later report with
   * another hash cannot take the host over (the caller records it as a clone signal).
   */
  async upsertHost(m: EntityManager, s: HostSighting): Promise<HostEntity> {
    const rows: HostEntity[] = await m.query(
      `INSERT INTO host AS h (id, first_report_at, last_report_at, report_count, country, agent_version, erasure_key_hash)
       VALUES ($1, $2, $2, 1, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET
         first_report_at = LEAST(h.first_report_at, EXCLUDED.first_report_at),
         last_report_at = GREATEST(h.last_report_at, EXCLUDED.last_report_at),
         report_count = h.report_count + 1,
         country = CASE WHEN EXCLUDED.last_report_at >= h.last_report_at THEN COALESCE(EXCLUDED.country, h.country) ELSE h.country END,
         agent_version = CASE WHEN EXCLUDED.last_report_at >= h.last_report_at THEN EXCLUDED.agent_version ELSE h.agent_version END,
         erasure_key_hash = COALESCE(h.erasure_key_hash, EXCLUDED.erasure_key_hash)
       RETURNING id, current_profile_id AS "currentProfileId", country, clone_signals AS "cloneSignals",
                 erasure_key_hash AS "erasureKeyHash"`,
      [s.id, s.reportAt, s.country, s.agentVersion, s.erasureKeyHash],
    );
    return rows[0];
  }

  async setErasureKeyHash(m: EntityManager, hostId: string, hash: string): Promise<void> {
    await m.query('UPDATE host SET erasure_key_hash = $2 WHERE id = $1', [hostId, hash]);
  }

  /** Whether any crash or raw report names the host, for hosts that never sent a CEP report. */
  async holdsAnything(m: EntityManager, hostId: string): Promise<boolean> {
    const rows: unknown[] = await m.query(
      'SELECT 1 FROM crash_report WHERE host_id = $1 UNION ALL SELECT 1 FROM raw_report WHERE host_id = $1 LIMIT 1',
      [hostId],
    );
    return rows.length > 0;
  }

  async cepReportExists(m: EntityManager, reportId: string): Promise<boolean> {
    return (await m.query('SELECT 1 FROM cep_report WHERE id = $1', [reportId])).length > 0;
  }

  /** The report sequence number if an earlier report of the host already carried it. */
  async sequencesSeen(m: EntityManager, hostId: string, sequence: number | undefined): Promise<number[]> {
    if (sequence === undefined) return [];
    const rows: Array<{ sequence: number }> = await m.query(
      'SELECT sequence FROM cep_report WHERE host_id = $1 AND sequence = $2 LIMIT 1',
      [hostId, sequence],
    );
    return rows.map((r) => r.sequence);
  }

  /** Whether a report other than `reportId` already carried this host id and sequence number. */
  async sequenceTakenByAnother(m: EntityManager, hostId: string, sequence: number, reportId: string): Promise<boolean> {
    const rows = await m.query('SELECT 1 FROM cep_report WHERE host_id = $1 AND sequence = $2 AND id <> $3 LIMIT 1', [hostId, sequence, reportId]);
    return rows.length > 0;
  }

  async insertCepReport(m: EntityManager, report: Omit<CepReportEntity, 'processedAt'>): Promise<void> {
    await m.getRepository(CepReportEntity).insert(report);
  }

  /** Keeps the newest record per collector; trusted data only replaces older data of its collector. */
  async saveNewerRecords(m: EntityManager, hostId: string, reportId: string, records: CollectorRecord[]): Promise<void> {
    const kept = records.filter((r) => r.outcome === 'valid' || r.outcome === 'untrusted');
    if (!kept.length) return;
    await m.query(
      `INSERT INTO host_collector_record AS h (host_id, collector, version, collected_at, report_id, outcome, reason, data)
       SELECT $1, r.name, r.version, r.collected_at, $2, r.outcome, r.reason, r.data
         FROM jsonb_to_recordset($3::jsonb) AS r(name text, version int, collected_at timestamptz, outcome text, reason text, data jsonb)
       ON CONFLICT (host_id, collector) DO UPDATE SET
         version = EXCLUDED.version, collected_at = EXCLUDED.collected_at, report_id = EXCLUDED.report_id,
         outcome = EXCLUDED.outcome, reason = EXCLUDED.reason, data = EXCLUDED.data
       WHERE EXCLUDED.collected_at >= h.collected_at`,
      [
        hostId,
        reportId,
        JSON.stringify(
          kept.map((r) => ({ name: r.name, version: r.version, collected_at: r.collectedAt, outcome: r.outcome, reason: r.reason ?? null, data: r.data })),
        ),
      ],
    );
  }

  records(m: EntityManager, hostId: string): Promise<HostCollectorRecordEntity[]> {
    return m.getRepository(HostCollectorRecordEntity).find({ where: { hostId }, order: { collector: 'ASC' } });
  }

  profile(m: EntityManager, id: string): Promise<HostProfileEntity | null> {
    return m.getRepository(HostProfileEntity).findOne({ where: { id } });
  }

  /** Versions without their profile documents: what linking and clone checks need, oldest first. */
  profileVersions(m: EntityManager, hostId: string): Promise<ProfileVersion[]> {
    return m.getRepository(HostProfileEntity).find({
      select: { id: true, validFrom: true, validTo: true, hardwareFingerprint: true, attributes: true },
      where: { hostId },
      order: { validFrom: 'ASC' },
    });
  }

  profiles(m: EntityManager, hostId: string): Promise<HostProfileEntity[]> {
    return m.getRepository(HostProfileEntity).find({ where: { hostId }, order: { validFrom: 'ASC' } });
  }

  /** Closes the current version and opens the next one at `from`. */
  async startProfileVersion(
    m: EntityManager,
    hostId: string,
    currentId: string | null,
    from: Date,
    next: Pick<HostProfileEntity, 'digest' | 'hardwareFingerprint' | 'profile' | 'attributes'>,
  ): Promise<string> {
    if (currentId) await m.query('UPDATE host_profile SET valid_to = $2 WHERE id = $1', [currentId, from]);
    const rows: Array<{ id: string }> = await m.query(
      `INSERT INTO host_profile (host_id, valid_from, digest, hardware_fingerprint, profile, attributes)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [hostId, from, next.digest, next.hardwareFingerprint, next.profile, next.attributes],
    );
    await m.query('UPDATE host SET current_profile_id = $2 WHERE id = $1', [hostId, rows[0].id]);
    return rows[0].id;
  }

  async addCloneSignals(m: EntityManager, hostId: string, signals: Array<{ reason: string; reportId: string; detectedAt: string }>): Promise<void> {
    // Bounded: a clone pair keeps producing signals with every report.
    await m.query(
      'UPDATE host SET clone_signals = clone_signals || $2::jsonb WHERE id = $1 AND jsonb_array_length(clone_signals) < 20',
      [hostId, JSON.stringify(signals)],
    );
  }

  /** Crashes of the host from `since` on (all when null), to link to a new profile version. */
  crashesToLink(m: EntityManager, hostId: string, since: Date | null): Promise<CrashToLink[]> {
    return m.query(
      `SELECT id, crashed_at AS "crashedAt", hardware, kernel, labels, country FROM crash_report
        WHERE host_id = $1 AND ($2::timestamptz IS NULL OR crashed_at >= $2)`,
      [hostId, since],
    );
  }

  async setCrashLinks(m: EntityManager, links: Array<{ id: string; profileId: string | null; attrs: string[] }>): Promise<void> {
    if (!links.length) return;
    await m.query(
      `UPDATE crash_report c SET host_profile_id = l.profile_id, hardware_attrs = l.attrs
         FROM jsonb_to_recordset($1::jsonb) AS l(id uuid, profile_id uuid, attrs text[])
        WHERE c.id = l.id`,
      [JSON.stringify(links.map((l) => ({ id: l.id, profile_id: l.profileId, attrs: l.attrs })))],
    );
    await syncCrashHardware(m, links.map((l) => l.id));
    await rebuildCandidateHostAttributes(m, links.map((l) => l.id));
  }
}
