import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { PlantedValue } from './audit-scan';

/**
 * A fake host root and fake crash dirs holding secrets the way real hosts hold them (issue 13's
 * classes), fresh random values on every run so that nothing can pass by knowing them.
 */
export interface AuditCorpus {
  root: string;
  scriptsDir: string;
  abrtRoot: string;
  anacondaRoot: string;
  kdumpRoot: string;
  planted: PlantedValue[];
  /** Product-tool outputs of this fake host (prlctl, vzlist), by command line. */
  commands: Record<string, string>;
  /** Crash dirs the crash policy must keep on the host, with the reason `crashes list` gives. */
  withheld: Array<{ dir: string; reason: RegExp }>;
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const letters = (n: number) =>
  [...randomBytes(n)].map((b) => String.fromCharCode(97 + (b % 26))).join('');

function write(file: string, text: string, mode = 0o644): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text, { mode });
  chmodSync(file, mode);
}

export function plantCorpus(work: string): AuditCorpus {
  const planted: PlantedValue[] = [];
  const plant = (kind: string, value: string) => (planted.push({ kind, value }), value);
  const macOf = () => ['02', ...Array.from({ length: 5 }, () => hex(1))].join(':');

  // ---- host identity, where the agent can learn it
  const hostname = plant('hostname', `node${letters(5)}`);
  const domain = plant('domain', `dc${letters(6)}.acmecorp`);
  const fqdn = `${hostname}.${domain}`;
  const user = plant('user', `op${letters(6)}`);
  const gecos = plant('user full name', `Ivana ${letters(1).toUpperCase()}${letters(7)}`);
  const ipv4 = plant('ipv4', `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${1 + (randomBytes(1)[0] % 250)}`);
  const ipv6 = plant('ipv6', `fd${hex(1)}:${hex(2)}:${hex(2)}:1::${hex(2)}`);
  const mac = plant('mac', macOf());
  const machineId = plant('machine id', hex(16));
  const dmiSerial = plant('dmi serial', `PF${hex(3).toUpperCase()}`);
  const productUuid = plant('product uuid', randomUUID());
  const diskSerial = plant('disk serial', `S3Z${hex(5).toUpperCase()}`);
  const wwn = plant('wwn', `0x5000c500${hex(4)}`);
  const fsUuid = plant('filesystem uuid', randomUUID());
  const fsLabel = plant('filesystem label', `cust${letters(6)}data`);
  const vmName = plant('vm name', `payroll-${letters(6)}`);
  const vmUuid = plant('vm uuid', randomUUID());
  const ctName = plant('ct name', `billing-${letters(6)}`);
  const ctUuid = plant('ct id', randomUUID());
  const ctHostname = plant('ct hostname', `shop.${letters(7)}.example`);
  const ctIp = plant('ct ipv4', `192.168.${randomBytes(1)[0]}.${1 + (randomBytes(1)[0] % 250)}`);

  const root = path.join(work, 'root');
  const files: Record<string, string> = {
    '/proc/sys/kernel/hostname': `${hostname}\n`,
    '/proc/sys/kernel/domainname': `${domain}\n`,
    '/proc/sys/kernel/osrelease': '3.10.0-1160.80.1.vz7.191.4\n',
    '/proc/cpuinfo': 'processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz\nphysical id\t: 0\ncore id\t\t: 0\ncpu cores\t: 1\nflags\t\t: fpu vmx\n\n',
    '/proc/meminfo': 'MemTotal:       65842148 kB\nMemAvailable:   40000000 kB\nSwapTotal:       8388604 kB\nSwapFree:        8388604 kB\n',
    '/proc/net/if_inet6': `${expandV6(ipv6)} 02 40 00 80     eth0\n`,
    '/proc/net/fib_trie': `Local:\n  +-- 0.0.0.0/0 3 0 5\n     |-- ${ipv4}\n        /32 host LOCAL\n`,
    '/etc/hostname': `${fqdn}\n`,
    '/etc/hosts': `127.0.0.1 localhost\n${ipv4} ${fqdn} ${hostname}\n`,
    '/etc/resolv.conf': `search ${domain}\nnameserver ${ipv4}\n`,
    '/etc/passwd': `root:x:0:0:root:/root:/bin/bash\n${user}:x:1001:1001:${gecos},,,:/home/${user}:/bin/bash\n`,
    '/etc/machine-id': `${machineId}\n`,
    '/etc/os-release': 'NAME="Virtuozzo Linux"\nID="virtuozzo"\nVERSION_ID="7.5"\n',
    '/etc/virtuozzo-release': 'Virtuozzo release 7.5.1 (17)\n',
    '/etc/vz/vz.conf': `VIRTUOZZO=yes\nVE_LAYOUT=ploop\nVEFSTYPE=ext4\nVE_ENVIRONMENT=${plant('VE_ENVIRONMENT value', `prod${letters(6)}`)}\n`,
    [`/etc/vz/conf/${ctUuid}.conf`]: `NAME="${ctName}"\nHOSTNAME="${ctHostname}"\nIP_ADDRESS="${ctIp}/24"\nOSTEMPLATE="centos-7-x86_64"\n`,
    '/sys/class/net/eth0/address': `${mac}\n`,
    '/sys/class/net/eth0/operstate': 'up\n',
    '/sys/class/dmi/id/sys_vendor': 'Dell Inc.\n',
    '/sys/class/dmi/id/product_name': 'PowerEdge R640\n',
    '/sys/class/dmi/id/product_serial': `${dmiSerial}\n`,
    '/sys/class/dmi/id/product_uuid': `${productUuid}\n`,
    '/sys/block/sda/size': '7814037168\n',
    '/sys/block/sda/queue/rotational': '1\n',
    '/sys/block/sda/device/model': 'ST4000NM0033-9ZM\n',
    '/sys/block/sda/device/vendor': 'ATA\n',
    '/sys/block/sda/device/serial': `${diskSerial}\n`,
    '/sys/block/sda/device/wwid': `naa.${wwn.slice(2)}\n`,
    [`/dev/disk/by-id/ata-ST4000NM0033-9ZM_${diskSerial}`]: '',
    [`/dev/disk/by-id/wwn-${wwn}`]: '',
    [`/dev/disk/by-uuid/${fsUuid}`]: '',
    [`/dev/disk/by-label/${fsLabel}`]: '',
  };
  for (const [file, text] of Object.entries(files)) write(path.join(root, file), text);

  const customTemplate = plant('customer template name', `umbrella-golden-${letters(4)}`);
  const customGuestOs = plant('customer guest os name', `golden${letters(6)}`);
  const commands = {
    'prlctl list -a -i -j --vmtype vm': JSON.stringify([
      { ID: `{${vmUuid}}`, Name: vmName, State: 'running', OS: 'win-2019', Hardware: { cpu: { cpus: 4 }, memory: { size: '8192Mb' } } },
      { ID: `{${randomUUID()}}`, Name: 'builder', State: 'stopped', OS: customGuestOs, Hardware: { cpu: { cpus: 2 } } },
    ]),
    'vzlist -a -j': JSON.stringify([
      { ctid: ctUuid, name: ctName, hostname: ctHostname, ip: [ctIp], status: 'running', ostemplate: 'centos-7-x86_64', layout: 'ploop' },
      { ctid: '102', name: 'golden', status: 'stopped', ostemplate: customTemplate, layout: 'ploop' },
    ]),
  };

  // ---- an external script named after its host, printing secrets in JSON
  const scriptsDir = path.join(root, 'usr/share/virtuozzo/cep-scripts');
  const json = {
    raid: {
      level: 1,
      password: plant('json password', `Pw${hex(5)}`),
      pw: plant('json pw', `pw${hex(5)}`),
      serial: plant('json serial', `SN${hex(4).toUpperCase()}`),
      auth: `Basic ${plant('json auth', Buffer.from(`${letters(5)}:${hex(4)}`).toString('base64'))}`,
      nested: [{ deeper: { inst: { vncpassword: plant('nested vncpassword', `vnc${hex(4)}`) } } }],
    },
    tokens: { [plant('secret as json key', `tok${hex(8)}`)]: 'valid' },
    dsn: `mysql://${plant('url user', `dbu${letters(5)}`)}:${plant('url password', `dbp${hex(5)}`)}@${plant('database host', `db${letters(6)}`)}/orders`,
    cache: `redis://:${plant('redis password', `rp${hex(5)}`)}@cache1:6379/0`,
    mirror: `ftp://mirror:${plant('ftp password', `fp${hex(5)}`)}@files.local/pub`,
    nics: [plant('mac without separators', hex(6)), plant('cisco mac', `${hex(2)}.${hex(2)}.${hex(2)}`)],
    owner: `CORP\\${plant('domain user', `ad${letters(6)}`)}`,
    note: `Serial No ${plant('serial without colon', `X${hex(4).toUpperCase()}`)}`,
    host: fqdn,
  };
  const script = path.join(scriptsDir, `check-${hostname}-raid.sh`);
  write(script, `#!/bin/sh\ncat <<'EOF'\n${JSON.stringify(json)}\nEOF\n`, 0o755);
  const fields = Object.fromEntries(Object.entries(json).map(([k, v]) => [k, Array.isArray(v) ? 'array' : typeof v]));
  write(`${script}.manifest.json`, JSON.stringify({ collector: 'raid', fields }));

  // ---- crash dirs
  const abrtRoot = path.join(work, 'spool-abrt');
  const anacondaRoot = path.join(work, 'tmp');
  const kdumpRoot = path.join(work, 'crash');
  const custDir = plant('customer path', `/srv/cust-${letters(6)}`);
  const cmdToken = plant('cmdline token', `ct${hex(6)}`);
  const envToken = plant('environ token', `ev${hex(6)}`);
  const gdbSecret = plant('gdb frame string', `gs${hex(6)}`);
  const otherMachineId = plant('other ct machine id', hex(16));
  const common = {
    architecture: 'x86_64',
    os_release: 'Virtuozzo Linux release 7.5',
    hostname: fqdn,
    username: user,
    uid: '0',
    count: '1',
    time: '1795000000',
    environ: `HOME=/root\nDB_TOKEN=${envToken}\nCUSTOMER=${plant('environ customer', `Cust${letters(6)}`)}\n`,
  };
  const ccppBacktrace = [
    `#0  0x00007f3c2a1b5e50 in __strlen_avx2 () at ../sysdeps/x86_64/multiarch/strlen-avx2.S:65`,
    `#1  0x000055d0c0ffee10 in db_connect (password=0x7ffd1234abcd "${gdbSecret}", user=0x55d0c0ffee00 "${user}") at ${custDir}/src/db.c:42`,
    `        conn_uri = 0x55d0c0ff0000 "mysql://svc:${gdbSecret}@${ipv4}/vz"`,
    `        arg = 0x55d0c0ff1000 "${cmdToken}"`,
    `        vm_id = "${vmUuid}"`,
    `        machine = "${otherMachineId}"`,
    `        fs = "${fsUuid.replace(/-/g, '')}"`,
    `#2  0x000055d0c0ffee20 in main (argc=3, argv=0x7ffd00000000) at main.c:10`,
  ].join('\n');
  const coreBacktrace = JSON.stringify({
    signal: 11,
    executable: '/usr/sbin/prl_disp_service',
    only_crash_thread: true,
    stacktrace: [
      {
        crash_thread: true,
        frames: [
          { address: 139690000000000, build_id: hex(20), build_id_offset: 4096, function_name: '__strlen_avx2', file_name: '/usr/lib64/libc.so.6' },
          { address: 94350000000000, build_id: hex(20), build_id_offset: 8192, function_name: 'db_connect', file_name: `${custDir}/lib/libcustdb.so` },
        ],
      },
    ],
  });
  const dir = (root: string, name: string, elements: Record<string, string>) => {
    for (const [file, text] of Object.entries(elements)) write(path.join(root, name, file), text);
    return path.join(root, name);
  };
  dir(abrtRoot, 'ccpp-2026-11-24-10:00:01.000001-4242', {
    ...common,
    type: 'CCpp',
    analyzer: 'abrt-ccpp',
    executable: '/usr/sbin/prl_disp_service',
    pkg_name: 'prl-disp-service',
    pkg_version: '7.0.1234',
    pkg_release: '1.vz7',
    pkg_arch: 'x86_64',
    component: 'prl-disp-service',
    cmdline: `/usr/sbin/prl_disp_service --db-secret ${cmdToken} --customer ${plant('cmdline customer', `acme${letters(5)}`)}`,
    reason: `prl_disp_service killed by SIGSEGV in db_connect for ${user}@${fqdn}`,
    backtrace: ccppBacktrace,
    core_backtrace: coreBacktrace,
    dso_list: `${custDir}/lib/libcustdb.so custdb-1.0\n/usr/lib64/libc.so.6 glibc-2.17\n`,
  });
  dir(abrtRoot, 'Python3-2026-11-24-10:00:02.000002-4343', {
    ...common,
    type: 'Python3',
    analyzer: 'abrt-python3-handler',
    executable: '/usr/bin/vzpanel',
    pkg_name: 'vzpanel',
    pkg_version: '1.0',
    pkg_release: '1',
    pkg_arch: 'noarch',
    component: 'vzpanel',
    cmdline: `/usr/bin/python3 /usr/bin/vzpanel --api-key ${cmdToken}`,
    reason: `ConnectionRefusedError: [Errno 111] refused by ${ipv4}`,
    backtrace:
      `vzpanel:12:connect:ConnectionRefusedError: refused\n\nTraceback (most recent call last):\n` +
      `  File "${custDir}/app/main.py", line 30, in <module>\n    run()\n` +
      `  File "/usr/lib/python3.6/site-packages/vzpanel/db.py", line 12, in connect\n    sock.connect(("${ipv4}", 3306))\n` +
      `ConnectionRefusedError: [Errno 111] Connection refused\n\nLocal variables in innermost frame:\nfs_uuid: '${fsUuid}'\nvm: '${vmName}'\n`,
  });
  const unpackaged = dir(abrtRoot, 'ccpp-2026-11-24-10:00:03.000003-4444', {
    ...common,
    type: 'CCpp',
    analyzer: 'abrt-ccpp',
    executable: `${custDir}/bin/billing`,
    cmdline: `${custDir}/bin/billing --token ${plant('unpackaged crash token', `up${hex(6)}`)}`,
    backtrace: `#0  0x0000000000401000 in charge (card=0x7ffd "${plant('unpackaged crash secret', `cc${hex(6)}`)}") at billing.c:7`,
    core_backtrace: coreBacktrace,
  });
  const foreign = dir(abrtRoot, 'ccpp-2026-11-24-10:00:04.000004-4545', {
    ...common,
    type: 'CCpp',
    analyzer: 'abrt-ccpp',
    executable: '/usr/libexec/mysqld',
    pkg_name: 'mariadb-server',
    pkg_version: '5.5.68',
    pkg_release: '1.el7',
    pkg_arch: 'x86_64',
    cmdline: '/usr/libexec/mysqld --basedir=/usr',
    backtrace: `#0  0x00007f0000001000 in check_password (pw=0x7ffd "${plant('foreign package secret', `mp${hex(6)}`)}") at sql_acl.cc:99`,
    core_backtrace: coreBacktrace,
  });

  const ksUser = plant('kickstart user', `ks${letters(6)}`);
  const lsblkSerial = plant('lsblk serial', `WD-${hex(5).toUpperCase()}`);
  const lsblkLabel = plant('lsblk label', `lbl${letters(6)}`);
  const anaconda = [
    'anaconda 34.25.4.9 exception report',
    'Traceback (most recent call first):',
    '  File "/usr/lib64/python3.9/site-packages/pyanaconda/modules/storage/bootloader/base.py", line 612, in _is_valid_disklabel',
    '    label_type = device.disklabel.format.label_type',
    "AttributeError: 'NoneType' object has no attribute 'format'",
    '',
    'Local variables in innermost frame:',
    `self: <pyanaconda.modules.storage.bootloader.efi.EFIGRUB object at 0x7f3c2a1b5e50>`,
    `device: existing 600 MiB partition vda1 (15) with xfs filesystem uuid ${fsUuid}`,
    '',
    '/tmp/ks.cfg:',
    'text',
    `network --bootproto=static --device=ens3 --ip=${ipv4} --hostname=${fqdn}`,
    `user --name=${ksUser} --groups=wheel`,
    '%post',
    `curl -u ${ksUser}:${plant('kickstart curl password', `cu${hex(5)}`)} https://repo.internal/register`,
    `usermod -p '${plant('kickstart crypt hash', `$6$${letters(8)}$${hex(20)}`)}' ${ksUser}`,
    '%end',
    '',
    '/proc/cmdline:',
    `BOOT_IMAGE=/images/pxeboot/vmlinuz inst.vncpassword=${plant('vncpassword', `vp${hex(4)}`)} inst.ks=http://${ipv4}/ks.cfg`,
    '',
    'lsblk_output:',
    ...lsblkTable([
      ['NAME', 'SIZE', 'TYPE', 'FSTYPE', 'LABEL', 'SERIAL', 'UUID', 'MOUNTPOINT'],
      ['sda', '3.7T', 'disk', '', '', lsblkSerial, '', ''],
      ['└─sda1', '3.7T', 'part', 'xfs', lsblkLabel, '', fsUuid, '/vz'],
    ]),
    '',
  ].join('\n');
  write(path.join(anacondaRoot, 'anaconda-tb-audit'), anaconda);

  const vethName = plant('veth name', `veth${hex(4)}.0`);
  const dmesg = [
    `[  100.000001] IPv6: ADDRCONF(NETDEV_CHANGE): ${vethName}: link becomes ready`,
    `[  100.000002] usb 1-1: SerialNumber: ${plant('usb serial', `US${hex(5).toUpperCase()}`)}`,
    `[  100.000003] e1000e 0000:00:19.0 eth0: (PCI Express:2.5GT/s:Width x1) ${mac}`,
    `[  100.000004] Memory cgroup out of memory: Killed process 4242 (mysqld) task_memcg=/machine.slice/${ctUuid},oom_memcg=/machine.slice/machine-qemu\\x2d3\\x2d${vmName}.scope`,
    '[  100.000005] BUG: unable to handle kernel NULL pointer dereference at 0000000000000010',
    '[  100.000006] IP: [<ffffffffc0a1b2c3>] ploop_make_request+0x23/0x90 [ploop]',
    '[  100.000007] Oops: 0000 [#1] SMP',
    '[  100.000008] Modules linked in: ploop vzevent',
    '[  100.000009] CPU: 3 PID: 4242 Comm: mysqld ve: 0 Not tainted 3.10.0-1160.80.1.vz7.191.4 #1 191.4',
    '[  100.000010] Hardware name: Dell Inc. PowerEdge R640/0H28RR, BIOS 2.12.2 07/09/2021',
    '[  100.000011] Call Trace:',
    '[  100.000012]  [<ffffffffc0a1b2c3>] ploop_make_request+0x23/0x90 [ploop]',
    '[  100.000013]  [<ffffffff81234567>] generic_make_request+0x10/0x40',
    '',
  ].join('\n');
  write(path.join(kdumpRoot, `${ipv4}-2026-11-24-10:00:05`, 'vmcore-dmesg.txt'), dmesg);

  return {
    root,
    scriptsDir,
    abrtRoot,
    anacondaRoot,
    kdumpRoot,
    planted,
    commands,
    withheld: [
      { dir: unpackaged, reason: /unpackaged program/ },
      { dir: foreign, reason: /package mariadb-server is not in crashes\.packages/ },
    ],
  };
}

/** lsblk's layout: every column padded to its widest cell, one space apart. */
function lsblkTable(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join(' ').trimEnd());
}

/** /proc/net/if_inet6 prints addresses as 32 bare hex digits. */
function expandV6(ip: string): string {
  const [head, tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  return [...left, ...Array(8 - left.length - right.length).fill('0'), ...right].map((g) => g.padStart(4, '0')).join('');
}
