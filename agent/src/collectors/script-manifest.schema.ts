import { z } from 'zod';

/** The JSON types a declared field may hold; objects and arrays are still scrubbed as structure. */
export const SCRIPT_FIELD_TYPES = ['string', 'number', 'boolean', 'object', 'array'] as const;

/**
 * `<script>.manifest.json` beside an external script: the collector name its output is reported
 * under (the script's file name never leaves the host: admins name scripts after hosts) and the
 * fields it may print.
 */
export const scriptManifestSchema = z.strictObject({
  collector: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/),
  fields: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/), z.enum(SCRIPT_FIELD_TYPES)).refine((f) => Object.keys(f).length > 0, 'declares no field'),
});
export type ScriptManifest = z.infer<typeof scriptManifestSchema>;

export const SCRIPT_MANIFEST_SUFFIX = '.manifest.json';

function typeOf(value: unknown): (typeof SCRIPT_FIELD_TYPES)[number] | 'null' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as (typeof SCRIPT_FIELD_TYPES)[number];
}

/**
 * Why an output does not match its manifest, or undefined when it does. Field names are not given:
 * an undeclared key may itself be the secret.
 */
export function undeclaredOutput(manifest: ScriptManifest, output: unknown): string | undefined {
  if (typeOf(output) !== 'object') return 'output is not a JSON object';
  const entries = Object.entries(output as Record<string, unknown>);
  const undeclared = entries.filter(([k]) => !Object.hasOwn(manifest.fields, k)).length;
  if (undeclared) return `undeclared output: ${undeclared} field(s) not in the script's manifest`;
  const mistyped = entries.filter(([k, v]) => v !== null && typeOf(v) !== manifest.fields[k]).length;
  if (mistyped) return `undeclared output: ${mistyped} field(s) not of the declared type`;
  return undefined;
}
