import { z } from 'zod';

/** A report page offset in a candidate page's URL. */
export const CandidatePageQuerySchema = z.object({
  reports: z.coerce.number().int().min(0).default(0),
  done: z.string().optional(),
});

/** The queue's bulk form: the checked candidates. */
export const MergeSelectedSchema = z.object({
  ids: z
    .union([z.uuid(), z.array(z.uuid())])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.uuid()).min(2, 'select at least two candidates to merge').max(100)),
});

/** Fixed messages a POST-redirect-GET may show: the URL names one, never carries text. */
export const NOTICES: Readonly<Record<string, string>> = {
  merged: 'Merged: the other candidate’s reports are now here, and later matching reports follow.',
  split: 'Split: this candidate was made from the report and every report with its exact signature.',
  'merged-selected': 'Merged the selected candidates into the one with the most reports.',
};
