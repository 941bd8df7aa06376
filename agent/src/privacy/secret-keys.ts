import vocabulary from './secret-keys.json';

const CONTAINED = vocabulary.contained.map((w) => w.toLowerCase());
const SEGMENTS = new Set(vocabulary.segments);
const GLUED_PREFIXES = vocabulary.gluedPrefixes;
const EXEMPT = new Set(vocabulary.exempt);
export const VALUE_SUFFIXES = vocabulary.valueSuffixes;

/** `db_pass`, `userName`, `--host` → db pass / user name / host. */
function segmentsOf(key: string): string[] {
  return key
    .split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/)
    .filter(Boolean)
    .map((s) => s.toLowerCase());
}

/** A segment word, or one glued to a usual prefix (`dbpass`, `vncpw`, `userpw`). */
function isSecretSegment(segment: string): boolean {
  if (SEGMENTS.has(segment)) return true;
  return GLUED_PREFIXES.some((p) => segment.length > p.length && segment.startsWith(p) && SEGMENTS.has(segment.slice(p.length)));
}

/**
 * Whether a key's value may identify a host, a person or grant access: the vocabulary in
 * secret-keys.json, words matched inside longer keys (`inst.vncpassword`, `DB_PASSWORD_FILE`).
 */
export function isSecretKey(key: string): boolean {
  if (EXEMPT.has(key)) return false;
  // `inst.vncpassword`, `db.user` name the last part; `login.c`, `auth.py` are file names.
  const last = key.slice(key.lastIndexOf('.') + 1);
  const lower = last.toLowerCase();
  if (CONTAINED.some((w) => lower.includes(w))) return true;
  return segmentsOf(last).some(isSecretSegment);
}
