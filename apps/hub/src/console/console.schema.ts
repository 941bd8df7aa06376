import { z } from 'zod';

/** A report page offset in a candidate page's URL. */
export const CandidatePageQuerySchema = z.object({
  reports: z.coerce.number().int().min(0).default(0),
  done: z.string().optional(),
});

/** The queue's bulk mute: one or more checked candidates. */
export const MuteSelectedSchema = z.object({
  ids: z
    .union([z.uuid(), z.array(z.uuid())])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.uuid()).min(1, 'select candidates to mute').max(100)),
});

/** The queue's bulk form: the checked candidates. */
export const MergeSelectedSchema = z.object({
  ids: z
    .union([z.uuid(), z.array(z.uuid())])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.uuid()).min(2, 'select at least two candidates to merge').max(100)),
});

export const FileTicketFormSchema = z.object({ requestId: z.string().min(8).max(200) });
export const LinkTicketFormSchema = z.object({ issue: z.string().min(3).max(500) });
export const MuteFormSchema = z.object({ untilVersion: z.string().max(200).optional().transform((v) => v?.trim() || undefined) });

/** Fixed messages a POST-redirect-GET may show: the URL names one, never carries text. */
export const NOTICES: Readonly<Record<string, string>> = {
  merged: 'Merged: the other candidate’s reports are now here, and later matching reports follow.',
  split: 'Split: this candidate was made from the report and every report with its exact signature.',
  'merged-selected': 'Merged the selected candidates into the one with the most reports.',
  filing: 'Filing the ticket in Jira: its key shows here once Jira has answered (reload in a moment).',
  linked: 'Linked the issue; its Jira state shows after the next sync.',
  muted: 'Muted: new reports no longer bring this candidate back to the queue until the mute ends.',
  unmuted: 'The mute is lifted.',
  'muted-selected': 'Muted the selected candidates.',
};
