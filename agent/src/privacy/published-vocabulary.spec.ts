import { CUSTOM, published, publishedVzConf } from './published-vocabulary';

describe('published vocabulary', () => {
  it.each([
    ['osTemplate', 'centos-7-x86_64', true],
    ['osTemplate', 'ubuntu-22.04-x86_64', true],
    ['osTemplate', 'debian-11.0-x86_64-minimal', true],
    ['osTemplate', 'almalinux-9-x86_64', true],
    ['osTemplate', 'umbrella-golden-c7', false],
    ['osTemplate', 'centos-7-x86_64-acme', false],
    ['guestOs', 'win-2019', true],
    ['guestOs', 'centos7', true],
    ['guestOs', 'payroll-image', false],
    ['osName', 'Virtuozzo Linux', true],
    ['osName', 'Ubuntu', true],
    ['osName', 'ACME hardened Linux', false],
    ['osId', 'virtuozzo', true],
    ['osId', 'acme', false],
    ['osVersionId', '7.5', true],
    ['osVersionId', '7.5-acme', false],
    ['productVersion', 'Virtuozzo release 7.5.1 (17)', true],
    ['productVersion', 'Virtuozzo release 7.5.1 (17) for ACME', false],
  ] as const)('%s %s: sent as itself %s', (kind, value, kept) => {
    expect(published(kind, value)).toBe(kept ? value : CUSTOM);
  });

  it('vz.conf values pass only from the key\'s vocabulary; VE_ENVIRONMENT is always custom', () => {
    expect(publishedVzConf('VE_LAYOUT', 'ploop')).toBe('ploop');
    expect(publishedVzConf('VE_LAYOUT', 'customer-layout')).toBe(CUSTOM);
    expect(publishedVzConf('VE_ENVIRONMENT', 'prod-umbrella')).toBe(CUSTOM);
    expect(publishedVzConf('IPTABLES_MODULES', 'ipt_REJECT ipt_tos')).toBe(CUSTOM);
    expect(publishedVzConf('IPTABLES_MODULES', 'ip_tables iptable_filter')).toBe('ip_tables iptable_filter');
    expect(publishedVzConf('UNKNOWN_KEY', 'yes')).toBe(CUSTOM);
  });
});
