/** A local path to return to after signing in; anything else (another origin, `//host`) goes home. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : '/';
}
