import { z } from 'zod';
import { parseDuration } from './duration';

/** Field types shared by every section of the agent's config. */
export const duration = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) {
    ctx.addIssue({ code: 'custom', message: `invalid duration "${text}"` });
    return z.NEVER;
  }
  return ms;
});
export const absolutePath = z.string().startsWith('/', 'must be an absolute path');
