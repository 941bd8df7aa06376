import { isIP } from 'node:net';

const MAC = /^[0-9a-f]{2}([:-]?)[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}$/i;
const CISCO_MAC = /^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/i;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

function ipv6Forms(ip: string): string[] {
  const [head, tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  if (!ip.includes('::') && left.length !== 8) return [ip];
  const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right].map((g) => g.replace(/^0+(?=.)/, ''));
  const compressed = groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
  return [ip, groups.join(':'), groups.map((g) => g.padStart(4, '0')).join(':'), groups.map((g) => g.padStart(4, '0')).join(''), compressed];
}

/**
 * Every spelling a host value takes in the files and tools that print it: MACs with colons, dashes,
 * none or Cisco dots; UUIDs with and without dashes; IPv6 compressed, full, padded and /proc's bare
 * hex; URL-encoded; systemd's `\x2d` for dashes in unit and cgroup names. Case is left to the
 * matcher (every comparison ignores it).
 */
export function valueForms(value: string): string[] {
  const v = value.trim();
  const forms = new Set<string>([v]);
  if (MAC.test(v) || CISCO_MAC.test(v)) {
    const hex = v.replace(/[^0-9a-f]/gi, '').toLowerCase();
    const pairs = hex.match(/../g)!;
    forms.add(hex).add(pairs.join(':')).add(pairs.join('-')).add(hex.match(/..../g)!.join('.'));
  } else if (UUID.test(v)) {
    const hex = v.replace(/-/g, '').toLowerCase();
    forms.add(hex).add(`${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`);
  } else if (isIP(v) === 6) {
    ipv6Forms(v).forEach((f) => forms.add(f));
  }
  for (const f of [...forms]) {
    forms.add(encodeURIComponent(f));
    if (f.includes('-')) forms.add(f.replace(/-/g, '\\x2d'));
  }
  return [...forms];
}
