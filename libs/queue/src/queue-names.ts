import type { JobOptions } from 'bull';

/** Every queue and job the hub runs, and how each is retried. */
export const QUEUES = {
  reports: 'reports',
  // Jira calls wait on Jira, never on crash processing, and the other way round.
  jira: 'jira',
  regrouping: 'regrouping',
} as const;

export const JOBS = {
  processCrashReport: 'process-crash-report',
  processCepReport: 'process-cep-report',
  fileJiraTicket: 'file-jira-ticket',
  regroupComponent: 'regroup-component',
} as const;

/** Which job processes each kind of stored report. */
export const JOB_FOR_REPORT_KIND: Record<'ureport' | 'problem-dir' | 'cep', JobName> = {
  ureport: JOBS.processCrashReport,
  'problem-dir': JOBS.processCrashReport,
  cep: JOBS.processCepReport,
};

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
export type JobName = (typeof JOBS)[keyof typeof JOBS];

export interface ReportJobData {
  reportId: string;
}

/** A ticket filing stored in ticket_filing; its id is the job id, so it is queued once. */
export interface TicketJobData {
  filingId: string;
}

export type JobData = ReportJobData | TicketJobData;

/** Bull job id: the stored row the job works on. */
export function jobKeyOf(data: JobData): string {
  return 'reportId' in data ? data.reportId : `filing-${data.filingId}`;
}

/**
 * Regroup one family+component after `reportId` brought a better exemplar (or new symbols) to it.
 * Its job id is the triggering report's, so a report stored while a regroup runs still gets a later run.
 */
export interface RegroupJobData extends ReportJobData {
  family: string;
  component: string;
}

/**
 * Bull keeps jobs forever and tries once unless told otherwise.
 * jobId = report id, so a report enqueued twice (ingest + recovery sweep) runs once.
 */
export const BULL_REDIS_OPTIONS = {
  // Fail fast instead of retrying commands forever while Redis is down; the report is already stored.
  maxRetriesPerRequest: 1,
};

export function reportJobOptions(reportId: string, attempts: number, backoffMs: number): JobOptions {
  return {
    jobId: reportId,
    attempts,
    backoff: { type: 'exponential', delay: backoffMs },
    removeOnComplete: 1000,
    removeOnFail: 5000,
  };
}
