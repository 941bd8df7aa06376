import { BlockList, isIP } from 'node:net';
import { open } from 'maxmind';

/** Maps a sender address to the country its network is registered in; never records the address. */
export interface CountryLookup {
  /** Upper-case ISO 3166-1 alpha-2, or null when the address is absent, malformed, non-global or unknown. */
  countryOf(ip: string | undefined): string | null;
  close?(): void;
}

/** Record shape of the ip-location-db country MMDBs. */
interface CountryRecord {
  country_code?: string;
}

/**
 * Special-purpose ranges (IANA IPv4/IPv6 special-purpose registries) that are not globally
 * reachable. They are excluded here because the RIR-derived database still maps some of them
 * (192.168.0.0/16, 172.16.0.0/12, the TEST-NETs, 2001:db8::/32) to the registry's own country.
 */
const NON_GLOBAL = (() => {
  const list = new BlockList();
  const v4: Array<[string, number]> = [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['127.0.0.0', 8],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.0.2.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
    ['198.51.100.0', 24],
    ['203.0.113.0', 24],
    ['224.0.0.0', 4],
    ['240.0.0.0', 4],
  ];
  const v6: Array<[string, number]> = [
    ['::', 127],
    ['100::', 64],
    ['2001:2::', 48],
    ['2001:db8::', 32],
    ['3fff::', 20],
    ['fc00::', 7],
    ['fe80::', 10],
    ['ff00::', 8],
  ];
  for (const [net, prefix] of v4) list.addSubnet(net, prefix, 'ipv4');
  for (const [net, prefix] of v6) list.addSubnet(net, prefix, 'ipv6');
  return list;
})();

const MAPPED_V4 = /^\[::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})\]$/;

/**
 * Canonical form for the database: IPv4-mapped IPv6 (how dual-stack sockets report IPv4 peers)
 * becomes plain IPv4, since the database only indexes IPv4 at its native position.
 */
function normalise(ip: string): { address: string; family: 'ipv4' | 'ipv6' } | null {
  const version = isIP(ip);
  if (version === 4) return { address: ip, family: 'ipv4' };
  // Zone-scoped addresses are link-local by definition; WHATWG URL also rejects them.
  if (version !== 6 || ip.includes('%')) return null;
  const mapped = MAPPED_V4.exec(new URL(`http://[${ip}]/`).hostname);
  if (!mapped) return { address: ip, family: 'ipv6' };
  const word = (hex: string) => parseInt(hex, 16);
  const [hi, lo] = [word(mapped[1]), word(mapped[2])];
  return { address: `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, family: 'ipv4' };
}

const disabled: CountryLookup = { countryOf: () => null };

/** Opens the MMDB at path; null gives a lookup that always answers null (GEOIP_DB_PATH=off). */
export async function openCountryLookup(path: string | null): Promise<CountryLookup> {
  if (path === null) return disabled;
  const reader = await open(path);
  return {
    countryOf(ip) {
      if (!ip) return null;
      const parsed = normalise(ip);
      if (!parsed || NON_GLOBAL.check(parsed.address, parsed.family)) return null;
      // mmdb-lib's response types only cover MaxMind's own schemas; this database has its own.
      const code = (reader.get(parsed.address) as CountryRecord | null)?.country_code?.toUpperCase();
      return code && /^[A-Z]{2}$/.test(code) ? code : null;
    },
  };
}
