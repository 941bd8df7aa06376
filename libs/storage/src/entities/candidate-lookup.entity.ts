import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** Exact signature → candidate; split rules overwrite the target so later reports follow. */
@Entity('candidate_signature')
export class CandidateSignatureEntity {
  @PrimaryColumn('text', { name: 'exact_hash' })
  exactHash!: string;

  @Column('uuid', { name: 'candidate_id' })
  candidateId!: string;

  /** 'first-report' or 'split' */
  @Column('text', { default: 'first-report' })
  origin!: string;
}

/**
 * Pre-buckets for near-duplicate search: candidates sharing a function name with a new report.
 * The index ends in (created_at, candidate_id) so the newest postings of a key are read from the
 * index alone and a common function's list is never read whole.
 */
@Entity('candidate_bucket')
@Index('candidate_bucket_recent_idx', ['family', 'component', 'functionName', 'createdAt', 'candidateId'])
export class CandidateBucketEntity {
  @PrimaryColumn('uuid', { name: 'candidate_id' })
  candidateId!: string;

  @PrimaryColumn('text', { name: 'function_name' })
  functionName!: string;

  @Column('text')
  family!: string;

  @Column('text')
  component!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** Distinct hosts per candidate. */
@Entity('candidate_host')
export class CandidateHostEntity {
  @PrimaryColumn('uuid', { name: 'candidate_id' })
  candidateId!: string;

  @PrimaryColumn('text', { name: 'host_key' })
  hostKey!: string;

  /**
   * hardware_attribute ids of all the host's crashes in the candidate (kept by crash-hardware-sql.ts),
   * so the over-representation view reads a row per host instead of a row per crash.
   */
  @Column('int', { name: 'attr_ids', array: true, default: () => `'{}'` })
  attrIds!: number[];
}
