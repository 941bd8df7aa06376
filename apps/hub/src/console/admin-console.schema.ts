import { z } from 'zod';
import { ROLES } from '../access/access-policy';

export const AdminPageQuerySchema = z.object({
  action: z.string().max(100).optional(),
  done: z.string().max(40).optional(),
});

export const AddPersonFormSchema = z.object({
  username: z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/, 'username: 1-64 of letters, digits and . _ @ -'),
  role: z.enum(ROLES),
});

export const UsernameFormSchema = z.object({ username: z.string().min(1).max(64) });

export const IdFormSchema = z.object({ id: z.uuid() });

/** Fixed messages after an administrative POST-redirect-GET. */
export const ADMIN_NOTICES: Readonly<Record<string, string>> = {
  disabled: 'The account is disabled; its sessions and tokens no longer work.',
  enabled: 'The account is enabled again.',
  'token-revoked': 'The API token is revoked.',
  'rig-key-revoked': 'The rig key is revoked.',
  'jira-checked': 'The Jira connection was tested; the result is under Jira.',
};
