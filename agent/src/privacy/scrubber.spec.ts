import fc from 'fast-check';
import { REDACTED, Scrubber } from './scrubber';
import vocabulary from './secret-keys.json';

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

  describe('structure', () => {
    // Keys as hosts spell them: the vocabulary word alone, inside longer words, prefixed, upper case.
    const key = fc.oneof(
      fc.constantFrom(...vocabulary.contained).chain((w) => fc.constantFrom(w, `inst.vnc${w}`, `db_${w}_file`, w.toUpperCase(), `x${w}`)),
      fc.constantFrom(...vocabulary.segments).chain((w) => fc.constantFrom(w, `db_${w}`, `${w}Name`, `--${w}`, w.toUpperCase(), `mysql${w}`)),
    );
    // Passwords carry digits and punctuation; never a value a key or filler could also spell.
    const secret = fc
      .tuple(fc.string({ unit: fc.constantFrom(...'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz0123456789!@#%^&*_+-.'), minLength: 5, maxLength: 16 }), fc.integer({ min: 10, max: 99999 }))
      .map(([s, n]) => `Q${n}${s}`);
    /** Text forms of `key` holding `value`, as configs, logs, command lines and gdb print them. */
    const textForm = fc.constantFrom(
      (k: string, v: string) => `${k}=${v}`,
      (k: string, v: string) => `${k}: ${v}`,
      (k: string, v: string) => `${k} ${v}`,
      (k: string, v: string) => `${k} = "${v}"`,
      (k: string, v: string) => `'${k}': '${v}'`,
      (k: string, v: string) => `"${k}":"${v}"`,
      (k: string, v: string) => `--${k.replace(/^-+/, '')} ${v}`,
      (k: string, v: string) => `--${k.replace(/^-+/, '')}=${v}`,
      (k: string, v: string) => `${k}=0x7ffd1234abcd "${v}"`,
    );
    const filler = fc.array(fc.constantFrom('started', 'worker', 'ok', 'retrying', 'in', 'the', 'queue', '42', 'at'), { maxLength: 4 }).map((w) => w.join(' '));
    const nest = (value: unknown, path: string[]) => path.reduceRight<unknown>((inner, k) => ({ [k]: inner }), value);
    const neutralPath = fc.array(fc.constantFrom('config', 'items', 'data', 'backend', 'settings', 'x'), { maxLength: 4 });

    it('a secret under any vocabulary key, at any depth, in JSON or any text form, never survives', () => {
      fc.assert(
        fc.property(key, secret, textForm, filler, filler, neutralPath, fc.nat(3), (k, v, form, before, after, path, where) => {
          const line = `${before} ${form(k, v)} ${after}`.trim();
          const doc =
            where === 0 ? nest({ [k]: v }, path)
            : where === 1 ? nest({ [k]: { deeper: [v] } }, path)
            : where === 2 ? nest({ log: line }, path)
            : nest({ blob: JSON.stringify(nest({ [k]: v }, path)) }, ['payload']);
          const out = JSON.stringify(new Scrubber({ hostId: HOST_ID }).scrub(doc));
          expect(out.toLowerCase()).not.toContain(v.toLowerCase());
        }),
        { numRuns: 500 },
      );
    });

    it('a secret used as a key under a secret-bearing key does not survive either', () => {
      fc.assert(
        fc.property(key, secret, neutralPath, (k, v, path) => {
          const out = JSON.stringify(new Scrubber({ hostId: HOST_ID }).scrub(nest({ [k]: { [v]: true } }, path)));
          expect(out.toLowerCase()).not.toContain(v.toLowerCase());
        }),
      );
    });

    // Words that merely contain a vocabulary word, versions, short hex and counters are kept.
    const lookalike = fc.constantFrom('passthrough', 'bypass', 'compass', 'authored', 'tokenizer', 'keyboard', 'hostel', 'username-less', 'pwm', 'serial8250', 'deadbeef', '0x1f', '7.5', '3.10.0', 'x86_64', 'sda1', 'eth0', 'vz7', '1024', 'ploop');
    it('filler that only resembles a secret is kept as it is', () => {
      fc.assert(
        fc.property(fc.array(fc.oneof(lookalike, word), { minLength: 1, maxLength: 8 }), (words) => {
          const text = words.join(', ');
          expect(new Scrubber({ hostId: HOST_ID }).scrubString(text)).toBe(text);
        }),
      );
    });

    it('reads the forms hosts really print', () => {
      const s = new Scrubber({ hostId: HOST_ID });
      const cases: Array<[string, string]> = [
        ['inst.vncpassword=s3cr3tVNC', 's3cr3tVNC'],
        ['mysql://dbuser:dbpass99@db01.internal/orders', 'dbpass99'],
        ['mysql://dbuser:dbpass99@db01/orders', 'db01'],
        ['redis://:rpw123@cache1:6379/0', 'rpw123'],
        ['ftp://u1:fp77@files/x', 'fp77'],
        ['#1 0x0000 in login (password=0x7ffd1234 "gdbsecret9") at a.c:1', 'gdbsecret9'],
        ["curl -u admin:adm1npw https://repo/x", 'adm1npw'],
        ["usermod -p '$6$salt$hashhashhash' bob", 'hashhashhash'],
        ['Serial No X9Z8Y7Q', 'X9Z8Y7Q'],
        ['mac 0a1b2c3d4e5f', '0a1b2c3d4e5f'],
        ['mac 0a1b.2c3d.4e6f', '0a1b.2c3d.4e6f'],
        ['wwn naa.5000c500a1b2c3d4', '5000c500a1b2c3d4'],
        ['fs 6f1c1f0c93a44c1e9d4f6a2b57f0aa11', '6f1c1f0c93a44c1e9d4f6a2b57f0aa11'],
        ['IPv6: ADDRCONF(NETDEV_CHANGE): veth1f6c3e2a.0: link becomes ready', 'veth1f6c3e2a'],
        ['task_memcg=/machine.slice/billing-ct', 'billing-ct'],
        ['oom in /machine.slice/machine-qemu\\x2d3\\x2dpayroll.scope', 'payroll'],
        ['owner CORP\\jdoe7', 'jdoe7'],
        ['{"pw": "pw7788", "serial": 123456, "auth": "Basic dXNlcjpwdw=="}', 'pw7788'],
        ['{"serial": 123456}', '123456'],
        ['Authorization: Basic dXNlcjpwdw==', 'dXNlcjpwdw'],
        // fast-check counterexample: a secret key word right before another pair's key.
        ['sn password: aaa10', 'aaa10'],
      ];
      for (const [text, secretPart] of cases) expect({ text, out: s.scrubString(text) }).toEqual({ text, out: expect.not.stringContaining(secretPart) });
    });

    it('redacts lsblk LABEL, SERIAL and UUID columns and keeps the rest of the table', () => {
      const table = ['NAME   SIZE TYPE FSTYPE LABEL    SERIAL   UUID      MOUNTPOINT', 'sda    3.7T disk                 WD-7XK2                ', '└─sda1 3.7T part xfs    custdata          3C1A-9F2E /vz'].join('\n');
      const out = new Scrubber({ hostId: HOST_ID }).scrubString(table);
      for (const gone of ['WD-7XK2', 'custdata', '3C1A-9F2E']) expect(out).not.toContain(gone);
      for (const kept of ['NAME   SIZE TYPE FSTYPE LABEL', '3.7T disk', '└─sda1 3.7T part xfs']) expect(out).toContain(kept);
    });
  });

  it('removes known local values in every spelling, inside file names too', () => {
    const s = new Scrubber({ hostId: HOST_ID, sensitiveValues: ['nodeseven', '02:1a:2b:3c:4d:5e', '6f1c1f0c-93a4-4c1e-9d4f-6a2b57f0aa11', 'web-ct'] });
    const out = s.scrubString('check-NODESEVEN-raid.sh 021a2b3c4d5e 021a.2b3c.4d5e 6f1c1f0c93a44c1e9d4f6a2b57f0aa11 machine-web\\x2dct.scope web%2Dct');
    for (const gone of ['nodeseven', '021a2b3c4d5e', '021a.2b3c.4d5e', '6f1c1f0c93a44c1e9d4f6a2b57f0aa11', 'web\\x2dct']) expect(out.toLowerCase()).not.toContain(gone);
  });
});
