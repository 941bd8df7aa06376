import { z } from 'zod';

export const LiveTrendQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(730).default(90).describe('how many days back the trend goes'),
});
export type LiveTrendQuery = z.infer<typeof LiveTrendQuerySchema>;

/** Answer to a host erasure: what was removed, table by table, so the requester can check it. */
export const HostErasureReceiptSchema = z.object({
  hostId: z.uuid(),
  erasedAt: z.iso.datetime(),
  deleted: z.record(z.string(), z.number().int().nonnegative()),
});
export type HostErasureReceipt = z.infer<typeof HostErasureReceiptSchema>;
