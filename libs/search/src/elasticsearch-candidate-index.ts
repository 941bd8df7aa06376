import type { estypes } from '@elastic/elasticsearch';

/** Bumped when the mappings change: a new physical index is built and the alias swapped to it. */
export const CANDIDATE_INDEX_VERSION = 2;

/** The hub reads and writes through the alias; only index creation names the physical index. */
export function physicalIndexName(alias: string): string {
  return `${alias}_v${CANDIDATE_INDEX_VERSION}`;
}

/** One document per crash report (CrashReportSearchDoc); strict so a drifting doc shape fails loudly. */
export const CRASH_REPORT_MAPPINGS: estypes.MappingTypeMapping = {
  dynamic: 'strict',
  properties: {
    reportId: { type: 'keyword' },
    candidateId: { type: 'keyword' },
    family: { type: 'keyword' },
    component: { type: 'keyword' },
    signatureText: { type: 'text' },
    // keyword for substring (wildcard) search on whole names, text for word search inside them;
    // ignore_above keeps a pathological name from failing the whole document.
    functions: { type: 'keyword', ignore_above: 1024, fields: { text: { type: 'text' } } },
    packageVersion: { type: 'keyword' },
    osRelease: { type: 'keyword' },
    kernel: { type: 'keyword' },
    // Label names are free (up to 32 per report); flattened avoids one mapped field per name.
    labels: { type: 'flattened' },
    hostKey: { type: 'keyword' },
    hardwareAttrs: { type: 'keyword' },
    crashedAt: { type: 'date' },
    triageState: { type: 'keyword' },
  },
};
