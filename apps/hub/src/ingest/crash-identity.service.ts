import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CrashIdentity } from '../../../../libs/crash-reports/src/crash-identity';
import { CrashIdentityRepository } from './crash-identity.repository';
import { NewRawReport, RawReportRepository } from './raw-report.repository';

export interface StoredOccurrence {
  /** The stored report, or for a duplicate the crash's first report. */
  id: string;
  created: boolean;
}

/**
 * One crash is one crash, whichever client sent it: a problem directory adds only the
 * occurrences its ABRT `count` has beyond those already stored for its identity (so the same
 * archive twice adds nothing, and count 5 then 6 adds 1). A directory that reporter-ureport
 * already sent as a uReport (its `reported_to` says so) starts from that uReport's occurrence.
 */
@Injectable()
export class CrashIdentityService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly identities: CrashIdentityRepository,
    private readonly rawReports: RawReportRepository,
  ) {}

  /**
   * `explicitOccurrences`: the agent says itself how many occurrences an upload adds (X-Occurrences,
   * idempotent by its report id); the stock clients do not, and the identity decides.
   */
  storeOccurrence(identity: CrashIdentity, report: NewRawReport, explicitOccurrences?: number): Promise<StoredOccurrence> {
    return this.dataSource.transaction(async (m) => {
      await this.identities.lock(m, identity.key);
      const covered = await this.identities.covered(m, identity.key);
      let firstId = covered.firstId;
      let occurrences = covered.occurrences;
      if (!firstId) {
        const claimed = await this.identities.claimUReport(m, identity.key, identity.reportedAs.reportIds, identity.reportedAs.bthashes);
        if (claimed) {
          firstId = claimed.id;
          occurrences = claimed.occurrences;
        }
      }
      const adds = explicitOccurrences ?? identity.count - occurrences;
      if (adds < 1) return { id: firstId ?? report.id, created: false };
      const created = await this.rawReports.insertOnce({ ...report, crashKey: identity.key, occurrences: adds }, m);
      return { id: report.id, created };
    });
  }
}
