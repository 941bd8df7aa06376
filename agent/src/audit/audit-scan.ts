import { gunzipSync } from 'node:zlib';
import { valueForms } from '../privacy/value-forms';

/** A value planted where a real host keeps it; `kind` names the class of leak it stands for. */
export interface PlantedValue {
  kind: string;
  value: string;
}

export interface Leak {
  kind: string;
  value: string;
  /** The spelling found (a MAC without separators, a UUID without dashes, URL-encoded...). */
  form: string;
  where: string;
}

/** Every spelling to look for: the value's own forms, JSON-escaped; comparison ignores case. */
export function plantedForms(value: string): string[] {
  const forms = new Set<string>();
  for (const f of valueForms(value)) {
    forms.add(f);
    forms.add(JSON.stringify(f).slice(1, -1));
  }
  return [...forms];
}

/** gzip members are searched inflated (a tarball's names and contents are then plain bytes). */
export function inflatedText(bytes: Buffer): string {
  const plain = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  return plain.toString('utf8');
}

/** Which planted values occur, in any of their forms, in the named texts. */
export function findLeaks(planted: readonly PlantedValue[], texts: ReadonlyArray<{ where: string; text: string }>): Leak[] {
  const leaks: Leak[] = [];
  const lowered = texts.map((t) => ({ where: t.where, text: t.text.toLowerCase() }));
  for (const p of planted) {
    for (const form of plantedForms(p.value)) {
      for (const t of lowered) if (t.text.includes(form.toLowerCase())) leaks.push({ kind: p.kind, value: p.value, form, where: t.where });
    }
  }
  return leaks;
}
