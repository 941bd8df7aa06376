import { Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { TriageRecord } from '../../../triage/src/triage-state';

/** A candidate's triage state (the pure state machine's record) and the state shown. */
@Entity('candidate_triage')
@Index('candidate_triage_state_idx', ['state'])
export class CandidateTriageEntity {
  @PrimaryColumn('uuid', { name: 'candidate_id' })
  candidateId!: string;

  /** Visible state: a manual one while it lasts, else the synced one. */
  @Column('text')
  state!: string;

  @Column('jsonb')
  record!: TriageRecord;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
