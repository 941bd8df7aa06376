import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Rig crash reports per rig, build, test run and candidate (labels missing are stored as ''), with
 * the run's first and last crash of the candidate: the /rigs page reads this instead of every
 * rig-labelled report. Kept by statement triggers on crash_report (CandidateCounts migration).
 */
@Entity('rig_run_count')
export class RigRunCountEntity {
  @PrimaryColumn('text')
  rig!: string;

  @PrimaryColumn('text')
  build!: string;

  @PrimaryColumn('text', { name: 'test_run' })
  testRun!: string;

  @PrimaryColumn('uuid', { name: 'candidate_id' })
  candidateId!: string;

  @Column('int')
  reports!: number;

  @Column('timestamptz', { name: 'first_crash' })
  firstCrash!: Date;

  @Column('timestamptz', { name: 'last_crash' })
  lastCrash!: Date;
}
