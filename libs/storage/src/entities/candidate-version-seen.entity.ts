import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Per candidate, package name and version (reports without a version are left out): how many
 * reports and the latest crash. "Probably fixed in" reads the versions a candidate and its packages
 * were last seen crashing in from here instead of scanning every report of those packages. Kept by
 * statement triggers on crash_report (VersionSeen migration). A report without a package name is stored under ''.
 */
@Entity('candidate_version_seen')
// Versions of a package across every candidate ("in use"), read without touching other packages.
@Index('candidate_version_seen_package_idx', ['packageName', 'packageVersion', 'lastCrash'])
export class CandidateVersionSeenEntity {
  @PrimaryColumn('uuid', { name: 'candidate_id' })
  candidateId!: string;

  @PrimaryColumn('text', { name: 'package_name' })
  packageName!: string;

  @PrimaryColumn('text', { name: 'package_version' })
  packageVersion!: string;

  @Column('int')
  reports!: number;

  @Column('timestamptz', { name: 'last_crash' })
  lastCrash!: Date;
}
