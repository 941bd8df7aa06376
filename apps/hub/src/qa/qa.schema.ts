import { z } from 'zod';

export const CreateTicketSchema = z.object({
  /** Chosen by the client once per click; a retry with the same id is the same filing. */
  requestId: z.string().min(8).max(200),
  summary: z.string().min(1).max(255).optional(),
  description: z.string().min(1).max(30_000).optional(),
});
export type CreateTicket = z.infer<typeof CreateTicketSchema>;

export const LinkTicketSchema = z.object({ issue: z.string().min(3).max(500) });
export type LinkTicket = z.infer<typeof LinkTicketSchema>;

export const ManualStateSchema = z.object({
  kind: z.enum(['ignored', 'muted']),
  untilVersion: z.string().min(1).max(200).optional(),
  untilCount: z.number().int().positive().optional(),
});
export type ManualStateBody = z.infer<typeof ManualStateSchema>;

export const AutoFilingRunSchema = z.object({ dryRun: z.boolean().default(true) });
export type AutoFilingRun = z.infer<typeof AutoFilingRunSchema>;

/** Jira's webhook body: only the key is used; the issue is read back over REST. */
export const JiraWebhookSchema = z.object({ issue: z.object({ key: z.string().min(3).max(100) }).passthrough() }).passthrough();
export type JiraWebhook = z.infer<typeof JiraWebhookSchema>;
