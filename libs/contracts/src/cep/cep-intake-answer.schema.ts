import { z } from 'zod';

/** The hub's 202 to `POST /api/v1/cep-reports`, read by the agent after each delivery. */
export const CepIntakeAnswerSchema = z.object({
  id: z.uuid(),
  status: z.literal('stored'),
  /** The report id was already stored (a retried upload). */
  duplicate: z.boolean(),
  /**
   * Another report already came with this host id and sequence number: a second installation (a
   * host cloned from an image, a restored state dir) sends under the same id. The agent that reads
   * this takes a new id. Optional so that agents accept answers of hubs that predate it.
   */
  hostIdShared: z.boolean().optional(),
});
export type CepIntakeAnswer = z.infer<typeof CepIntakeAnswerSchema>;
