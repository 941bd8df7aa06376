import { z } from 'zod';

export const RoleSchema = z.enum(['viewer', 'developer', 'qa', 'admin']);

const label = z.string().min(1).max(200).regex(/^[^\u0000]*$/, 'must not contain NUL');

/** GET /api/v1/audit filters; newest first, paged by the id cursor `before`. */
export const AuditQuerySchema = z.object({
  action: z.string().max(100).optional(),
  actorKind: z.string().max(40).optional(),
  actorId: z.string().max(100).optional(),
  targetType: z.string().max(40).optional(),
  targetId: z.string().max(200).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

/** POST /api/v1/tokens: an API token for the caller, scoped to at most the caller's role. */
export const CreateApiTokenSchema = z.object({
  name: label,
  scope: RoleSchema,
  expiresInDays: z.number().int().min(1).max(366).default(90),
});
export type CreateApiToken = z.infer<typeof CreateApiTokenSchema>;

/** POST /api/v1/rig-keys: a test rig's ingest key; the labels are added to every report it brings. */
export const CreateRigKeySchema = z.object({
  rigName: label,
  labels: z
    .record(z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, 'label names are [A-Za-z0-9_.-]'), label)
    .refine((labels) => Object.keys(labels).length <= 16, 'at most 16 labels')
    .default({}),
});
export type CreateRigKey = z.infer<typeof CreateRigKeySchema>;

/** POST /sign-in (an HTML form). */
export const SignInFormSchema = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
  _csrf: z.string().min(1).max(200),
  next: z.string().max(2000).optional(),
});
export type SignInForm = z.infer<typeof SignInFormSchema>;

/** PUT /api/v1/hosts/:id/erasure-key, sent with the current key as Bearer. */
export const RotateErasureKeySchema = z.object({
  erasureKeyHash: z.string().regex(/^[0-9a-f]{64}$/, 'the sha256 (hex) of the new erasure key'),
});
export type RotateErasureKey = z.infer<typeof RotateErasureKeySchema>;
