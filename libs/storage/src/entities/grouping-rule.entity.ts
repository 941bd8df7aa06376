import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** QA's grouping decisions, kept as an audit trail beside their effect on candidates. */
@Entity('grouping_rule')
export class GroupingRuleEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  kind!: 'merge' | 'split';

  /** merge: the candidate merged away; split: the exact signature split out. */
  @Column('text')
  source!: string;

  @Column('uuid', { name: 'target_candidate_id' })
  targetCandidateId!: string;

  @Column('text', { nullable: true })
  note!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
