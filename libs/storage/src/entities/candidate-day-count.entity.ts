import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Crash reports per candidate, UTC day, package version, product version of the crashing host and
 * origin (rig or field): what the console's sparklines, history chart and crash-rate panels read
 * instead of scanning a candidate's reports. Kept by statement triggers on crash_report (see the
 * CandidateCounts migration), so every writer — ingest, merge, split, regrouping, reprocess,
 * erasure — updates it in its own transaction. An unknown version is stored as ''.
 */
@Entity('candidate_day_count')
// The queue ranked by hot reports reads the window's days of every candidate from this index alone.
@Index('candidate_day_count_day_idx', ['day', 'candidateId', 'reports'])
export class CandidateDayCountEntity {
  @PrimaryColumn('uuid', { name: 'candidate_id' })
  candidateId!: string;

  @PrimaryColumn('date')
  day!: string;

  /** 'rig' when the report carries any rig label, else 'field'. */
  @PrimaryColumn('text')
  origin!: string;

  @PrimaryColumn('text', { name: 'package_version' })
  packageVersion!: string;

  /** The crashing host's `product.version` value ('' without one). */
  @PrimaryColumn('text', { name: 'product_version' })
  productVersion!: string;

  @Column('int')
  reports!: number;
}
