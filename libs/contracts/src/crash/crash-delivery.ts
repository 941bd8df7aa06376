/** Where and how an agent delivers crashes (the hub's native ingestion routes; X-Report-Id and X-Host-Id as for CEP reports). */
export const CRASH_REPORTS_PATH = '/api/v1/crash-reports';
export const CRASH_ARCHIVES_PATH = '/api/v1/crash-archives';
/** JSON object of labels (ReportLabelsSchema) sent with a problem-directory archive. */
export const REPORT_LABELS_HEADER = 'x-report-labels';
/** Occurrences an archive stands for when it is a repeat of a crash already sent (ABRT's `count` stays as is). */
export const OCCURRENCES_HEADER = 'x-occurrences';

/** Label keys a test rig attaches, so QA can tell rig crashes from field crashes. */
export const RIG_LABEL_KEYS = { rig: 'rig', testRun: 'test_run', build: 'build', testName: 'test_name' } as const;
