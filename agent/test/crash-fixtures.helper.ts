import { cpSync, chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { UPSTREAM } from './fixture-host.helper';

export const ANACONDA_FIXTURES = path.resolve(__dirname, '../../test/fixtures/anaconda');

/** Every upstream problem directory the hub can group (research §1.2), with the type each is. */
export const UPSTREAM_PROBLEM_DIRS = [
  'satyr/tests/problem_dir',
  'libreport/src/plugins/python/fixtures/sample_problem',
  'abrt/tests/runtests/bugzilla-comment-format/problem_dir',
  'libreport/tests/sample_problems/1',
] as const;

export const ANACONDA_DUMPS = ['anaconda-tb-bootloader-el9', 'anaconda-tb-bootloader-el10', 'anaconda-tb-network-keyfile'] as const;

/**
 * Identifying values planted in problem directories and dumps; none may appear in what is sent.
 * The anaconda ones are in test/fixtures/anaconda already.
 */
export const PLANTED = {
  environToken: 'AKIAPLANTED7EXAMPLE',
  environSecret: 'wJalrXUtnFEMIplantedSECRET',
  hostname: 'buildbox7731',
  fqdn: 'buildbox7731.corp.example.net',
  user: 'alice9',
  ipv4: '198.51.100.23',
  mac: 'de:ad:be:ef:00:42',
  email: 'alice9@corp.example.net',
  token: 'ghp_plantedtoken123',
  password: 'Hunter2planted',
} as const;
export const ANACONDA_SECRETS = ['Adm1nS3cret!', 'Pr0xyPass', 'proxyuser', 'kq2hZpV9', 'node07', '10.20.30.41', '10.20.30.40'];

/** Copies a problem directory into `root` (writable, as abrtd leaves it), optionally fixing its `count`. */
export function copyProblemDir(src: string, root: string, name: string, count?: number): string {
  const dir = path.join(root, name);
  cpSync(src, dir, { recursive: true });
  chmodSync(dir, 0o755);
  for (const f of readdirSync(dir)) chmodSync(path.join(dir, f), 0o644);
  // abrtd writes `count` when it has finished with a directory; two upstream samples predate it.
  if (count !== undefined || !existsSync(path.join(dir, 'count'))) writeFileSync(path.join(dir, 'count'), String(count ?? 1));
  return dir;
}

export const upstreamDir = (rel: string) => path.join(UPSTREAM, rel);

function writeElements(dir: string, elements: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(elements)) writeFileSync(path.join(dir, name), text);
  return dir;
}

const P = PLANTED;
const COMMON = {
  architecture: 'x86_64',
  os_release: 'Virtuozzo Linux release 9.2',
  os_info: 'NAME="Virtuozzo Linux"\nID=virtuozzo\nVERSION_ID=9.2\n',
  hostname: P.fqdn,
  username: P.user,
  uid: '1000',
  environ: `USER=${P.user}\nHOSTNAME=${P.fqdn}\nAWS_ACCESS_KEY_ID=${P.environToken}\nAWS_SECRET_ACCESS_KEY=${P.environSecret}\nHOME=/home/${P.user}\n`,
  cmdline: `/usr/bin/python3 /home/${P.user}/bin/sync.py --password ${P.password}`,
  var_log_messages: `Nov 24 10:00:00 ${P.hostname} sync.py[4242]: login ${P.email} from ${P.ipv4}\n`,
};

/** A Python3 crash (ABRT backtrace format) with secrets in every free-text place. */
export function plantedPythonDir(root: string, name = 'Python3-2026-11-24-10:00:00.000001-4242', count = 1): string {
  return writeElements(path.join(root, name), {
    ...COMMON,
    type: 'Python3',
    analyzer: 'abrt-python3-handler',
    time: '1795000000',
    last_occurrence: '1795000000',
    count: String(count),
    executable: `/home/${P.user}/bin/sync.py`,
    component: 'vzsync',
    reason: `sync.py:12:connect:ConnectionRefusedError: refused by ${P.ipv4} for ${P.email}`,
    backtrace:
      `sync.py:12:connect:ConnectionRefusedError: refused by ${P.ipv4}\n\nTraceback (most recent call last):\n` +
      `  File "/home/${P.user}/bin/sync.py", line 20, in <module>\n    main()\n` +
      `  File "/home/${P.user}/bin/sync.py", line 12, in connect\n    sock.connect(("${P.ipv4}", 8443))\n` +
      `ConnectionRefusedError: [Errno 111] Connection refused by ${P.fqdn}\n\nLocal variables in innermost frame:\n` +
      `token: '${P.token}'\nhost: '${P.fqdn}'\nmac: '${P.mac}'\n`,
  });
}

/** A CCpp crash with a core_backtrace (satyr's sample) plus planted host data. */
export function plantedCcppDir(root: string, name = 'ccpp-2026-11-24-10:00:01.000002-4343'): string {
  const dir = copyProblemDir(upstreamDir('satyr/tests/problem_dir'), root, name, 3);
  return writeElements(dir, {
    ...COMMON,
    executable: `/home/${P.user}/bin/crasher`,
    dso_list: `/home/${P.user}/lib/libsecret.so (unpackaged)\n`,
    cpuinfo: 'processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz\n',
  });
}

/** A kdump directory whose vmcore-dmesg.txt has host names, addresses and an x86 oops. */
export function plantedKdumpDir(root: string, name = `${P.ipv4}-2026-11-24-10:00:02`): string {
  const t = '[ 4242.123456] ';
  const lines = [
    `${t}e1000e 0000:00:19.0 eth0: (PCI Express:2.5GT/s:Width x1) ${P.mac}`,
    `${t}IPv4: martian source ${P.ipv4} from 203.0.113.9, on dev eth0`,
    `${t}systemd-hostnamed: changed hostname to '${P.fqdn}'`,
    `${t}BUG: unable to handle kernel NULL pointer dereference at 0000000000000008`,
    `${t}Oops: 0000 [#1] SMP`,
    `${t}Modules linked in: ploop(O) vzmon vziolimit xt_conntrack nf_nat e1000e`,
    `${t}CPU: 3 PID: 1337 Comm: ploop12345 Tainted: G           O   3.10.0-1160.80.1.vz7.191.4 #1`,
    `${t}Hardware name: Dell Inc. PowerEdge R640/0W23H8, BIOS 2.12.2 07/09/2021`,
    `${t}RIP: 0010:[<ffffffffa03b2c1e>]  [<ffffffffa03b2c1e>] ploop_req_state_process+0x2e/0x9e0 [ploop]`,
    `${t}Call Trace:`,
    `${t} [<ffffffffa03b4d55>] ploop_req_state_process_wrapper+0x25/0x40 [ploop]`,
    `${t} [<ffffffffa03b4f2d>] ploop_thread+0x1bd/0x3e0 [ploop]`,
    `${t} [<ffffffff810c5e61>] kthread+0xd1/0xe0`,
    `${t} [<ffffffff81793df7>] ret_from_fork_nospec_begin+0x21/0x21`,
    `${t}---[ end trace 5c0a8f1e2b3d4c5e ]---`,
  ];
  return writeElements(path.join(root, name), { 'vmcore-dmesg.txt': `${lines.join('\n')}\n`, vmcore: 'not really a core' });
}

/** Places an anaconda dump where the installer leaves it (/tmp/anaconda-tb-XXXXXX). */
export function anacondaDump(root: string, fixture: string, name = fixture): string {
  const target = path.join(root, name);
  cpSync(path.join(ANACONDA_FIXTURES, fixture), target);
  chmodSync(target, 0o600);
  return target;
}
