import { z } from 'zod';
import { HARDWARE_FILTER_NAMES, HardwareFilterName } from '../fleet/hardware-filters';
import { INPUT_BOUNDS, occurrencesSchema, safeText } from '../bounds/input-bounds';
import { UReportV2Schema } from './ureport.schema';

/** Labels a test rig attaches (rig name, test run, build, test name); free keys, bounded size. */
export const ReportLabelsSchema = z
  .record(z.string().regex(/^[a-zA-Z0-9_.-]{1,64}$/, 'label names are 1-64 of [a-zA-Z0-9_.-]'), safeText(INPUT_BOUNDS.maxLabelValueChars))
  .refine((labels) => Object.keys(labels).length <= INPUT_BOUNDS.maxLabelsPerReport, `at most ${INPUT_BOUNDS.maxLabelsPerReport} labels`);

/** The hub's own agent: a uReport plus who sent it, under an idempotency key. */
export const AgentCrashReportSchema = z.object({
  reportId: z.uuid(),
  hostId: z.uuid().optional(),
  labels: ReportLabelsSchema.optional(),
  occurrences: occurrencesSchema.default(1),
  crashedAt: z.iso.datetime({ offset: true }).optional(),
  ureport: UReportV2Schema,
});
export type AgentCrashReport = z.infer<typeof AgentCrashReportSchema>;

const csv = safeText(4096)
  .transform((s) => s.split(',').map((v) => v.trim()).filter(Boolean))
  .optional();

/** Triage states a candidate can show (libs/triage's synced states plus QA's manual ones). */
export const TRIAGE_STATE_NAMES = [
  'new', 'ticketed', 'fix-pending', 'verified-fixed', 'regressed', 'wont-fix', 'duplicate', 'cannot-reproduce', 'muted', 'ignored',
] as const;

export const CandidateQuerySchema = z.object({
  type: csv.describe('families: core, python, kerneloops, xorg, java, anaconda'),
  component: csv,
  packageVersion: csv,
  osRelease: csv,
  kernel: csv,
  label: safeText(INPUT_BOUNDS.maxQueryValueChars).regex(/^[a-zA-Z0-9_.-]+=.*$/, 'label filter is name=value').optional(),
  firstSeenFrom: z.iso.datetime({ offset: true }).optional(),
  firstSeenTo: z.iso.datetime({ offset: true }).optional(),
  lastSeenFrom: z.iso.datetime({ offset: true }).optional(),
  lastSeenTo: z.iso.datetime({ offset: true }).optional(),
  state: safeText(4096)
    .transform((s) => s.split(',').map((v) => v.trim()).filter(Boolean))
    .pipe(z.array(z.enum(TRIAGE_STATE_NAMES)))
    .optional()
    .describe(`triage states shown (any of, comma separated): ${TRIAGE_STATE_NAMES.join(', ')}`),
  function: safeText(INPUT_BOUNDS.maxQueryValueChars).min(1).optional().describe('text matched against normalized frame names'),
  ...(Object.fromEntries(HARDWARE_FILTER_NAMES.map((name) => [name, csv])) as Record<HardwareFilterName, typeof csv>),
  attr: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .pipe(z.array(safeText(INPUT_BOUNDS.maxQueryValueChars).regex(/^[a-z][a-z.]*=.+$/, 'attr filter is attribute=value, e.g. disk.model=Samsung SSD 980')).max(20))
    .optional()
    .describe('any host attribute as attribute=value, repeatable: values of one attribute are alternatives, different attributes must all hold'),
  sort: z.enum(['count', 'lastSeen', 'hosts', 'hot']).default('count'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type CandidateQuery = z.infer<typeof CandidateQuerySchema>;

export const MergeCandidatesSchema = z.object({
  sourceId: z.uuid(),
  note: safeText(1024).optional(),
});

export const SplitReportSchema = z.object({
  reportId: z.uuid(),
  note: safeText(1024).optional(),
});
