import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

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

/** Pre-buckets for near-duplicate search: candidates sharing a function name with a new report. */
@Entity('candidate_bucket')
@Index('candidate_bucket_lookup_idx', ['family', 'component', 'functionName'])
export class CandidateBucketEntity {
  @PrimaryColumn('uuid', { name: 'candidate_id' })
  candidateId!: string;

  @PrimaryColumn('text', { name: 'function_name' })
  functionName!: string;

  @Column('text')
  family!: string;

  @Column('text')
  component!: string;
}

/** Distinct hosts per candidate. */
@Entity('candidate_host')
export class CandidateHostEntity {
  @PrimaryColumn('uuid', { name: 'candidate_id' })
  candidateId!: string;

  @PrimaryColumn('text', { name: 'host_key' })
  hostKey!: string;
}
