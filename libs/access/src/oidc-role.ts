const ORDER = ['viewer', 'developer', 'qa', 'admin'] as const;
export type MappedRole = (typeof ORDER)[number];

/**
 * The role an OpenID Connect sign-in gets: every value of the claim (a string or a list, e.g. groups)
 * is looked up in the map and the highest role found wins; none found gives the default (or null: refused).
 */
export function roleFromClaims(
  claims: Record<string, unknown>,
  claim: string,
  map: Record<string, MappedRole>,
  fallback?: MappedRole,
): MappedRole | null {
  const raw = claims[claim];
  const values = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  let best = -1;
  for (const v of values) {
    if (typeof v !== 'string' || !Object.prototype.hasOwnProperty.call(map, v)) continue;
    best = Math.max(best, ORDER.indexOf(map[v]));
  }
  return best >= 0 ? ORDER[best] : (fallback ?? null);
}
