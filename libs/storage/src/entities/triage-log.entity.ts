import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Append-only: every QA action and every sync change on a candidate, with who and when. */
@Entity('triage_log')
@Index('triage_log_candidate_idx', ['candidateId', 'at'])
export class TriageLogEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column('uuid', { name: 'candidate_id' })
  candidateId!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at!: Date;

  /** A person's principal, or `sync` / `auto-filing` for the hub's own jobs. */
  @Column('text')
  actor!: string;

  @Column('text')
  action!: string;

  @Column('jsonb', { default: () => `'{}'` })
  detail!: Record<string, unknown>;
}
