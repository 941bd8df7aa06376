import fc from 'fast-check';
import { REDACTED, Scrubber } from './scrubber';

const HOST_ID = '7d444840-9dc0-41c7-a5b6-9a1f3f7a7c10';

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.'));
const hex = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: min, maxLength: max });
const ipv6 = fc.array(hex(1, 4), { minLength: 8, maxLength: 8 }).map((g) => g.join(':'));
const ipv6Compressed = fc.tuple(fc.array(hex(1, 4), { minLength: 1, maxLength: 3 }), fc.array(hex(1, 4), { minLength: 1, maxLength: 3 })).map(([a, b]) => `${a.join(':')}::${b.join(':')}`);
const mac = fc.array(hex(2, 2), { minLength: 6, maxLength: 6 }).map((g) => g.join(':'));
const uuid = fc.uuid().filter((u) => u !== HOST_ID);
const machineId = hex(32, 32);
const word = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength: 3, maxLength: 10 });
const email = fc.tuple(word, word, fc.constantFrom('com', 'org', 'net', 'de')).map(([u, d, t]) => `${u}@${d}.${t}`);
const fqdn = fc.tuple(word, word, fc.constantFrom('com', 'net', 'local', 'ru')).map(([h, d, t]) => `${h}.${d}.${t}`);
// The secret carries digits so that it cannot also occur as filler or as a word of the output's own keys.
const secretValue = fc.tuple(word, fc.integer({ min: 10, max: 99999 })).map(([w, n]) => `${w}${n}`);
const secretAssignment = fc.tuple(fc.constantFrom('password', 'token', 'passwd', 'api_key', 'secret'), fc.constantFrom('=', ': '), secretValue).map(([k, sep, v]) => ({ text: `${k}${sep}${v}`, secret: v }));
const knownValue = fc.tuple(word, fc.nat(999)).map(([w, n]) => `${w}-${n}`);

/** A sensitive value and the text it hides in. */
const leak = fc.oneof(
  ipv4.map((v) => ({ text: v, secret: v })),
  ipv6.map((v) => ({ text: v, secret: v })),
  ipv6Compressed.map((v) => ({ text: v, secret: v })),
  mac.map((v) => ({ text: v, secret: v })),
  uuid.map((v) => ({ text: v, secret: v })),
  machineId.map((v) => ({ text: v, secret: v })),
  email.map((v) => ({ text: v, secret: v })),
  fqdn.map((v) => ({ text: v, secret: v })),
  secretAssignment,
);
const filler = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz ,;()'), maxLength: 12 });

describe('Scrubber', () => {
  it('removes every generated identifier wherever it sits in a JSON document (keys included)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(filler, leak, filler, fc.boolean()), { minLength: 1, maxLength: 6 }), (parts) => {
        const doc: Record<string, unknown> = { nested: [] as unknown[] };
        parts.forEach(([before, l, after, asKey], i) => {
          const text = `${before} ${l.text} ${after}`;
          if (asKey) doc[text] = i;
          else (doc.nested as unknown[]).push({ value: text });
        });
        const out = JSON.stringify(new Scrubber({ hostId: HOST_ID }).scrub(doc));
        for (const [, l] of parts) expect(out.toLowerCase()).not.toContain(l.secret.toLowerCase());
      }),
      { numRuns: 300 },
    );
  });

  it('redacts host-specific values (host names, users, VM names) case-insensitively as whole tokens', () => {
    fc.assert(
      fc.property(fc.array(knownValue, { minLength: 1, maxLength: 5 }), filler, (values, noise) => {
        const scrubber = new Scrubber({ hostId: HOST_ID, sensitiveValues: values });
        const out = JSON.stringify(scrubber.scrub({ list: values.map((v) => `${noise}[${v.toUpperCase()}]${noise}`) }));
        for (const v of values) expect(out.toLowerCase()).not.toContain(v.toLowerCase());
      }),
    );
  });

  it('keeps the agent host id, plain words and numbers; is idempotent', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(filler, fc.integer(), fc.boolean()), { maxLength: 8 }), (values) => {
        const scrubber = new Scrubber({ hostId: HOST_ID });
        const doc = { hostId: HOST_ID, values };
        const once = scrubber.scrub(doc);
        expect(once).toEqual(doc);
        expect(scrubber.scrub(once)).toEqual(once);
      }),
    );
  });

  it('keeps the key of a secret assignment for context', () => {
    const s = new Scrubber({ hostId: HOST_ID });
    expect(s.scrubString('password=hunter2 Bearer abc.def')).toBe(`password=${REDACTED} Bearer ${REDACTED}`);
    expect(s.scrubString('Serial Number: PF0XK7Q2')).toBe(`Serial Number: ${REDACTED}`);
  });
});
