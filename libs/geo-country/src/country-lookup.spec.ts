import { openCountryLookup, type CountryLookup } from './country-lookup';

const BUNDLED = require.resolve('@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb');

describe('openCountryLookup', () => {
  let lookup: CountryLookup;

  beforeAll(async () => {
    lookup = await openCountryLookup(BUNDLED);
  });

  // Infrastructure of the registries and operators themselves: registered in one country for decades.
  it.each([
    ['8.8.8.8', 'US'], // Google Public DNS, 8.8.8.0/24 (Google LLC, ARIN)
    ['193.0.6.139', 'NL'], // www.ripe.net, RIPE NCC's own 193.0.0.0/21 (Amsterdam)
    ['202.12.29.140', 'AU'], // whois.apnic.net, APNIC's own 202.12.29.0/24, AS4608 (Brisbane)
    ['2001:4860:4860::8888', 'US'], // Google Public DNS, 2001:4860::/32 (Google LLC, ARIN)
    ['2001:67c:2e8:22::c100:68b', 'NL'], // www.ripe.net, RIPE NCC's own 2001:67c:2e8::/48
  ])('maps %s to %s', (ip, country) => {
    expect(lookup.countryOf(ip)).toBe(country);
  });

  it('unwraps IPv4-mapped IPv6 in dotted and hex form', () => {
    expect(lookup.countryOf('::ffff:8.8.8.8')).toBe('US');
    expect(lookup.countryOf('::FFFF:808:808')).toBe('US');
    expect(lookup.countryOf('0:0:0:0:0:ffff:c100:68b')).toBe('NL');
    expect(lookup.countryOf('::ffff:192.168.1.1')).toBeNull();
  });

  // The database maps some of these (e.g. 192.168.0.0/16, 2001:db8::/32) to a registry's country.
  it.each([
    '127.0.0.1',
    '::1',
    '::',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '100.64.0.1',
    '169.254.1.1',
    '192.0.2.1',
    '198.51.100.1',
    '203.0.113.1',
    '224.0.0.1',
    '255.255.255.255',
    '2001:db8::1',
    'fd12:3456::1',
    'fe80::1',
    'fe80::1%eth0',
    'ff02::1',
  ])('answers null for the non-global address %s', (ip) => {
    expect(lookup.countryOf(ip)).toBeNull();
  });

  it.each([undefined, '', 'garbage', '1.2.3', '256.1.1.1', '8.8.8.8:443', ' 8.8.8.8', '2001:4860::8888::1'])(
    'answers null for the malformed address %p',
    (ip) => {
      expect(lookup.countryOf(ip)).toBeNull();
    },
  );

  it('answers null for everything when switched off', async () => {
    const off = await openCountryLookup(null);
    expect(off.countryOf('8.8.8.8')).toBeNull();
    expect(off.countryOf('2001:4860:4860::8888')).toBeNull();
  });

  it('refuses a database path that does not exist', async () => {
    await expect(openCountryLookup(`${BUNDLED}.missing`)).rejects.toThrow(/ENOENT/);
  });
});
