import { crashesConfigSchema } from './crash-config';
import { PATH_PLACEHOLDER, reduceLocalPaths, withheldReason } from './crash-policy';
import type { Problem } from './problem-reader';

const problem = (elements: Record<string, string>): Problem => ({ location: { kind: 'abrt', path: '/var/spool/abrt/x' }, name: 'x', elements: new Map(Object.entries(elements)) });

describe('crash policy (ABRT defaults and the vendor allow-list)', () => {
  const defaults = crashesConfigSchema.parse({});
  it.each([
    ['an unpackaged program', { type: 'CCpp', executable: '/srv/cust/bin/billing' }, false, /^unpackaged program/],
    ['a package outside the allow-list', { type: 'CCpp', pkg_name: 'mariadb-server' }, false, /^package mariadb-server is not in crashes.packages$/],
    ['a vendor package', { type: 'CCpp', pkg_name: 'prl-disp-service' }, false, undefined],
    ['the vendor kernel (vmcore without a package)', { type: 'vmcore' }, false, undefined],
    ['the installer', { type: 'anaconda' }, false, undefined],
    ['a rig\'s unpackaged vendor build', { type: 'CCpp', executable: '/root/build/prl_disp_service' }, true, undefined],
    ['a rig\'s crash of a foreign package', { type: 'Python3', pkg_name: 'python3-requests' }, true, /not in crashes.packages/],
  ] as const)('%s', (_name, elements, rig, expected) => {
    const reason = withheldReason(problem(elements), defaults, rig);
    if (expected) expect(reason).toMatch(expected);
    else expect(reason).toBeUndefined();
  });

  it('follows the configuration: ProcessUnpackaged = yes, a wider package list, no rig builds', () => {
    const wide = crashesConfigSchema.parse({ process_unpackaged: true, packages: ['mariadb*'], rig_unpackaged: false });
    expect(withheldReason(problem({ type: 'CCpp' }), wide, false)).toBeUndefined();
    expect(withheldReason(problem({ type: 'CCpp', pkg_name: 'mariadb-server' }), wide, false)).toBeUndefined();
    expect(withheldReason(problem({ type: 'CCpp', pkg_name: 'prl-disp-service' }), wide, false)).toMatch(/not in crashes.packages/);
    const strictRig = crashesConfigSchema.parse({ rig_unpackaged: false });
    expect(withheldReason(problem({ type: 'CCpp' }), strictRig, true)).toMatch(/^unpackaged program/);
  });
});

describe('paths in crashes', () => {
  it.each([
    ['at /srv/cust-acme/src/db.c:42', `at ${PATH_PLACEHOLDER}/db.c:42`],
    ['File "/home/anonymized/bin/sync.py", line 3', `File "${PATH_PLACEHOLDER}/sync.py", line 3`],
    ['File "/srv/app/venv/lib/python3.11/site-packages/vzpanel/cli.py"', `File "${PATH_PLACEHOLDER}/lib/python3.11/site-packages/vzpanel/cli.py"`],
    ['/usr/lib64/libc.so.6 and /usr/sbin/prl_disp_service', '/usr/lib64/libc.so.6 and /usr/sbin/prl_disp_service'],
    ['at ../sysdeps/unix/sysv/linux/raise.c:51', 'at ../sysdeps/unix/sysv/linux/raise.c:51'],
    ['https://REDACTED/path/x', 'https://REDACTED/path/x'],
  ])('%s', (text, expected) => {
    expect(reduceLocalPaths(text)).toBe(expected);
  });
});
