import { z } from 'zod';
import { HARDWARE_FILTER_NAMES, HardwareFilterName } from '../fleet/hardware-filters';
import { UReportV2Schema } from './ureport.schema';

/** Labels a test rig attaches (rig name, test run, build, test name); free keys, bounded size. */
export const ReportLabelsSchema = z
  .record(z.string().regex(/^[a-zA-Z0-9_.-]{1,64}$/, 'label names are 1-64 of [a-zA-Z0-9_.-]'), z.string().max(256))
  .refine((labels) => Object.keys(labels).length <= 32, 'at most 32 labels');

/** The hub's own agent: a uReport plus who sent it, under an idempotency key. */
export const AgentCrashReportSchema = z.object({
  reportId: z.uuid(),
  hostId: z.uuid().optional(),
  labels: ReportLabelsSchema.optional(),
  occurrences: z.number().int().min(1).default(1),
  crashedAt: z.iso.datetime({ offset: true }).optional(),
  ureport: UReportV2Schema,
});
export type AgentCrashReport = z.infer<typeof AgentCrashReportSchema>;

const csv = z
  .string()
  .transform((s) => s.split(',').map((v) => v.trim()).filter(Boolean))
  .optional();

export const CandidateQuerySchema = z.object({
  type: csv.describe('families: core, python, kerneloops, xorg, java, anaconda'),
  component: csv,
  packageVersion: csv,
  osRelease: csv,
  kernel: csv,
  label: z.string().regex(/^[a-zA-Z0-9_.-]+=.*$/, 'label filter is name=value').optional(),
  firstSeenFrom: z.iso.datetime({ offset: true }).optional(),
  firstSeenTo: z.iso.datetime({ offset: true }).optional(),
  lastSeenFrom: z.iso.datetime({ offset: true }).optional(),
  lastSeenTo: z.iso.datetime({ offset: true }).optional(),
  function: z.string().min(1).max(256).optional().describe('text matched against normalized frame names'),
  ...(Object.fromEntries(HARDWARE_FILTER_NAMES.map((name) => [name, csv])) as Record<HardwareFilterName, typeof csv>),
  attr: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.string().regex(/^[a-z][a-z.]*=.+$/, 'attr filter is attribute=value, e.g. disk.model=Samsung SSD 980')).max(20))
    .optional()
    .describe('any host attribute as attribute=value, repeatable: values of one attribute are alternatives, different attributes must all hold'),
  sort: z.enum(['count', 'lastSeen', 'hosts', 'hot']).default('count'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type CandidateQuery = z.infer<typeof CandidateQuerySchema>;

export const MergeCandidatesSchema = z.object({
  sourceId: z.uuid(),
  note: z.string().max(1024).optional(),
});

export const SplitReportSchema = z.object({
  reportId: z.uuid(),
  note: z.string().max(1024).optional(),
});
