import type { z } from 'zod';

/** `problem.stacktrace.0.frames: Too small ...; os: Required` — names every field that is wrong. */
export function describeZodError(error: z.ZodError, max = 10): string {
  const issues = error.issues.slice(0, max).map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  const more = error.issues.length > max ? ` (+${error.issues.length - max} more)` : '';
  return issues.join('; ') + more;
}
