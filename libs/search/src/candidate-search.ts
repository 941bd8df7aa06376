import type { CandidateQuery } from '../../contracts/src';

/**
 * One ranked candidate. Counts cover only the reports that passed the query's filters, so a
 * version or label filter ranks candidates by how often they crash *there*. The caller loads
 * the candidate row itself from PostgreSQL by id.
 */
export interface CandidateHit {
  id: string;
  matchedReports: number;
  matchedHosts: number;
  /** Matched reports that crashed at or after `hotSince`. */
  hotCount: number;
  /** Latest crash among the matched reports. */
  lastSeen: Date;
}

export interface CandidatePage {
  total: number;
  items: CandidateHit[];
}

/** What a search index stores per crash report; PostgreSQL stays the source of truth. */
export interface CrashReportSearchDoc {
  reportId: string;
  candidateId: string;
  family: string;
  component: string;
  signatureText: string;
  /** Normalized frame function names, top frame first. */
  functions: string[];
  packageVersion: string | null;
  osRelease: string | null;
  kernel: string | null;
  labels: Record<string, string>;
  hostKey: string | null;
  /** `attribute=value` facts of the crashing host (profile at crash time + the crash's own). */
  hardwareAttrs: string[];
  /** ISO 8601 timestamp. */
  crashedAt: string;
  /** The candidate's visible triage state (`new` without a record); re-indexed when it changes. */
  triageState: string;
}

/** Port for ranking candidates; PostgreSQL by default, Elasticsearch when configured. */
export abstract class CandidateSearch {
  abstract search(q: CandidateQuery, hotSince: Date): Promise<CandidatePage>;
  /** Adds or replaces reports by id (a report moved to another candidate is re-indexed). */
  abstract indexReports(docs: CrashReportSearchDoc[]): Promise<void>;
  abstract removeReports(ids: string[]): Promise<void>;
  abstract ping(): Promise<void>;
}
