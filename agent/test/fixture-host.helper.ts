import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RPM_QUERY, DPKG_QUERY } from '../src/collectors/software.collector';

/** Upstream fixture files copied into the repository (provenance in SOURCES-telemetry.md). */
export const UPSTREAM = path.resolve(__dirname, '../../test/fixtures/upstream');
export const upstream = (rel: string) => readFileSync(path.join(UPSTREAM, rel), 'utf8');

export type FixtureEntry = { from: string } | { text: string } | { link: string } | { dir: true };

/** Builds a host root in a temp dir: host path → upstream file, seeded text, symlink or empty dir. */
export function buildHostRoot(layout: Record<string, FixtureEntry>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'cep-host-'));
  for (const [hostPath, entry] of Object.entries(layout)) {
    const target = path.join(root, hostPath);
    mkdirSync(path.dirname(target), { recursive: true });
    if ('from' in entry) copyFileSync(path.join(UPSTREAM, entry.from), target);
    else if ('text' in entry) writeFileSync(target, entry.text);
    else if ('link' in entry) symlinkSync(entry.link, target);
    else mkdirSync(target, { recursive: true });
  }
  return root;
}

/** A script, and beside it the manifest declaring its collector name and fields (when given). */
export function writeScript(root: string, dir: string, name: string, body: string, mode = 0o755, manifest?: { collector: string; fields: Record<string, string> }): void {
  const file = path.join(root, dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, mode);
  if (manifest) writeFileSync(`${file}.manifest.json`, JSON.stringify(manifest), { mode: 0o644 });
}

const NE = 'node_exporter/collector/fixtures';
const NE_NET = `${NE}/sys.ttar.d/sys/class/net`;
const PROCFS = 'procfs/testdata/fixtures.ttar.d/fixtures';
const UR = 'ubuntu-report/internal/metrics/testdata/good';

/**
 * Identifying values seeded into the Virtuozzo fixture host (besides the MACs already present in
 * the upstream bonding fixture). None may appear in a report.
 */
export const SEEDED_SECRETS = {
  hostname: 'vzhost-0451',
  fqdn: 'vzhost-0451.acme-hosting.example.com',
  ipv4: '203.0.113.77',
  ipv6: '2001:db8:85a3::8a2e:370:7334',
  mac: '08:00:27:29:dc:a5',
  slaveMac: '08:00:27:d5:44:7e',
  email: 'jane.operator@acme-hosting.example.com',
  user: 'jdoe4711',
  password: 'Tr0ub4dor-and-3',
  token: 'tok_9f8e7d6c5b4a',
  diskSerial: 'S3Z9NB0K123456X',
  wwn: '0x5002538e4011a2b3',
  dmiSerial: 'PF0XK7Q2',
  productUuid: '4c4c4544-0042-3510-8051-b7c04f4e5931',
  machineId: '3f9a6c1d2b7e4f0a8c5d9e1b2a3c4d5e',
  vmName: 'payroll-vm-finance',
  vmUuid: '{6f1c1f0c-93a4-4c1e-9d4f-6a2b57f0aa11}',
  ctName: 'billing-db-ct',
  ctHostname: 'shop.customer-example.org',
  clusterName: 'acmeprodcluster',
} as const;

const S = SEEDED_SECRETS;

/** A Virtuozzo 7 node: facter/ohai/node_exporter/procfs/ubuntu-report inputs plus seeded identifiers. */
export function virtuozzoHostLayout(): Record<string, FixtureEntry> {
  return {
    '/proc/cpuinfo': { from: 'facter/spec/fixtures/cpuinfo' },
    '/proc/meminfo': { from: 'facter/spec/fixtures/meminfo' },
    '/proc/self/status': { from: 'facter/spec/fixtures/proc_self_status_host' },
    '/proc/1/cgroup': { from: 'facter/spec/fixtures/cgroup_file' },
    '/proc/cgroups': { from: `${NE}/proc/cgroups` },
    '/proc/mdstat': { from: `${NE}/proc/mdstat` },
    '/proc/net/bonding/bond0': { from: 'facter/spec/fixtures/bond_interface_data' },
    '/proc/vz': { dir: true },
    '/proc/bc': { dir: true },
    '/proc/mounts': {
      text:
        `${upstream('facter/spec/fixtures/proc_self_mounts')}\n` +
        `/vz/private/101 /vz/root/101 simfs rw,relatime 0 0\n` +
        `/dev/ploop12345p1 /vz/root/102 ploop rw,relatime 0 0\n` +
        `vstorage://${S.clusterName} /vstorage/${S.clusterName} fuse.vstorage rw 0 0\n` +
        `cgroup /sys/fs/cgroup/memory cgroup rw,memory 0 0\n`,
    },
    '/proc/sys/kernel/osrelease': { text: '3.10.0-1160.80.1.vz7.191.4\n' },
    '/proc/sys/kernel/hostname': { text: `${S.hostname}\n` },
    '/proc/sys/vm/swappiness': { text: '10\n' },
    '/proc/sys/net/ipv4/ip_forward': { text: '1\n' },
    '/etc/hostname': { text: `${S.fqdn}\n` },
    '/etc/hosts': { text: `127.0.0.1 localhost\n${S.ipv4} ${S.fqdn} ${S.hostname}\n` },
    '/etc/machine-id': { text: `${S.machineId}\n` },
    '/etc/passwd': { text: `root:x:0:0:root:/root:/bin/bash\n${S.user}:x:1000:1000:Jane Operator,,,:/home/${S.user}:/bin/bash\n` },
    '/etc/os-release': { from: 'facter/spec/fixtures/os_release_virtuozzolinux' },
    '/etc/virtuozzo-release': { text: 'Virtuozzo release 7.5.1 (17)\n' },
    '/etc/vz/vz.conf': {
      text: `VIRTUOZZO=yes\nVE_LAYOUT=ploop\nVEFSTYPE=ext4\nIPV6="yes"\nADMIN_EMAIL=${S.email}\nROOT_PASSWORD=${S.password}\nTEMPLATE=/vz/template\n`,
    },
    [`/etc/vstorage/clusters/${S.clusterName}/bs.list`]: { text: `${S.ipv4}:2510\n198.51.100.5:2510\n198.51.100.6:2510\n` },
    '/sys/class/net/bonding_masters': { from: `${NE_NET}/bonding_masters` },
    '/sys/class/net/dmz/bonding/slaves': { from: `${NE_NET}/dmz/bonding/slaves` },
    '/sys/class/net/dmz/operstate': { from: `${NE_NET}/dmz/operstate` },
    '/sys/class/net/dmz/slave_eth0/bonding_slave/mii_status': { from: `${NE_NET}/dmz/slave_eth0/bonding_slave/mii_status` },
    '/sys/class/net/dmz/slave_eth4/bonding_slave/mii_status': { from: `${NE_NET}/dmz/slave_eth4/bonding_slave/mii_status` },
    '/sys/class/net/int/bonding/slaves': { from: `${NE_NET}/int/bonding/slaves` },
    '/sys/class/net/int/operstate': { from: `${NE_NET}/int/operstate` },
    '/sys/class/net/int/slave_eth1/bonding_slave/mii_status': { from: `${NE_NET}/int/slave_eth1/bonding_slave/mii_status` },
    '/sys/class/net/int/slave_eth5/bonding_slave/mii_status': { from: `${NE_NET}/int/slave_eth5/bonding_slave/mii_status` },
    '/sys/class/net/bond0/bonding/slaves': { from: `${NE_NET}/bond0/bonding/slaves` },
    '/sys/class/net/eth0/operstate': { from: `${PROCFS}/sys/class/net/eth0/operstate` },
    '/sys/class/net/eth0/speed': { from: `${PROCFS}/sys/class/net/eth0/speed` },
    '/sys/class/net/eth0/type': { from: `${PROCFS}/sys/class/net/eth0/type` },
    '/sys/class/net/eth0/address': { text: `${S.mac}\n` },
    '/sys/class/net/eth0/device/driver': { link: '../../../bus/pci/drivers/ixgbe' },
    '/sys/class/net/team0/uevent': { text: 'DEVTYPE=team\nINTERFACE=team0\nIFINDEX=7\n' },
    '/sys/block/sda/size': { from: `${PROCFS}/sys/block/sda/size` },
    '/sys/block/sda/queue/rotational': { from: `${PROCFS}/sys/block/sda/queue/rotational` },
    '/sys/block/sda/device/model': { text: 'ST4000NM0033-9ZM\n' },
    '/sys/block/sda/device/vendor': { text: 'ATA\n' },
    '/sys/block/sda/device/serial': { text: `${S.diskSerial}\n` },
    '/sys/block/sda/device/wwid': { text: `naa.${S.wwn.slice(2)}\n` },
    '/sys/block/sdb/size': { from: `${UR}/sys/block/sda/size` },
    '/sys/block/sdb/queue/rotational': { from: `${NE}/sys.ttar.d/sys/block/sda/queue/rotational` },
    '/sys/block/sdb/device/model': { text: 'Samsung SSD 860 EVO 1TB\n' },
    '/sys/block/nvme0n1/size': { text: '3907029168\n' },
    '/sys/block/nvme0n1/queue/rotational': { text: '0\n' },
    '/sys/block/nvme0n1/device/model': { text: 'INTEL SSDPE2KX040T8\n' },
    '/sys/block/nvme0n1/device/serial': { text: `${S.diskSerial}N\n` },
    '/sys/block/loop0/size': { text: '2048\n' },
    '/sys/block/ploop12345/size': { text: '20971520\n' },
    '/sys/class/dmi/id/sys_vendor': { from: `${UR}/sys/class/dmi/id/sys_vendor` },
    '/sys/class/dmi/id/product_name': { from: `${UR}/sys/class/dmi/id/product_name` },
    '/sys/class/dmi/id/product_family': { from: `${UR}/sys/class/dmi/id/product_family` },
    '/sys/class/dmi/id/bios_vendor': { from: `${UR}/sys/class/dmi/id/bios_vendor` },
    '/sys/class/dmi/id/product_serial': { text: `${S.dmiSerial}\n` },
    '/sys/class/dmi/id/product_uuid': { text: `${S.productUuid}\n` },
  };
}

/** Recorded product-tool outputs for the Virtuozzo host (no upstream recordings exist; see SOURCES-telemetry.md). */
export function virtuozzoHostCommands(): Record<string, string> {
  const S = SEEDED_SECRETS;
  return {
    'prlctl list -a -i -j --vmtype vm': JSON.stringify([
      {
        ID: S.vmUuid,
        Name: S.vmName,
        Description: `owner ${S.email}`,
        Type: 'VM',
        State: 'running',
        OS: 'win-2019',
        Autostart: 'on',
        'High Availability': { enabled: 'yes', prio: 0 },
        'Guest Tools': { state: 'installed', version: '7.15' },
        Hardware: {
          cpu: { cpus: 4 },
          memory: { size: '8192Mb' },
          hdd0: { enabled: true, image: `/vz/vmprivate/${S.vmName}/harddisk.hdd`, size: '65536Mb', serial: S.diskSerial },
          net0: { mac: '00:1C:42:AB:CD:EF', ips: `${S.ipv4}/24 ${S.ipv6}/64` },
        },
        'Remote display': { mode: 'off', address: S.ipv4, password: S.password },
      },
      { ID: '{0a7b6f2e-1111-4c1e-9d4f-6a2b57f0aa12}', Name: 'centos-builder', State: 'stopped', OS: 'centos7', Autostart: 'off', Hardware: { cpu: { cpus: 2 }, memory: { size: '2048Mb' }, hdd0: {}, hdd1: {} } },
    ]),
    'vzlist -a -j': JSON.stringify([
      { ctid: '101', name: S.ctName, hostname: S.ctHostname, ip: [S.ipv4], status: 'running', ostemplate: 'centos-7-x86_64', layout: 'simfs', onboot: true, cpus: 2, physpages: { held: 1000, limit: 262144 }, swappages: { limit: 131072 }, diskspace: { usage: 1048576, hardlimit: 10485760 } },
      { ctid: '1f6c3e2a-7b4d-4c1e-9d4f-6a2b57f0aa13', name: 'web-ct', hostname: `www.${S.fqdn}`, status: 'stopped', ostemplate: 'ubuntu-20.04-x86_64', layout: 'ploop', onboot: false, cpus: 8, physpages: { limit: 1048576 }, diskspace: { hardlimit: 104857600 } },
    ]),
    'systemctl list-unit-files --state=enabled --type=service --no-legend --no-pager --plain':
      `vz.service enabled enabled\nprl-disp.service enabled enabled\nsshd.service enabled enabled\n${S.user}-backup.service enabled disabled\nvstorage-mdsd.service enabled enabled\n`,
    [['rpm', ...RPM_QUERY].join(' ')]:
      `${upstream('ohai/spec/data/plugins/rpmquery.output')}vzkernel\t0\t3.10.0\t1160.80.1.vz7.191.4\t1663486612\tx86_64\nprl-disp-service\t0\t7.0.1234\t1.vz7\t1663486612\tx86_64\n${S.user}-tools\t0\t1.0\t1\t1663486612\tnoarch\n`,
    'teamdctl team0 state dump': JSON.stringify({ setup: { runner_name: 'activebackup', pid: 4242 }, ports: { eth2: { ifinfo: { dev_addr: S.mac } }, eth3: {} }, team_device: { ifinfo: { dev_addr: S.mac, ifname: 'team0' } } }),
    'readykernel info': 'Patch version: 191.4-87.1\nStatus: loaded\n',
  };
}

/** An Ubuntu desktop as ubuntu-report's golden test saw it; no product tools. */
export function ubuntuHostLayout(): Record<string, FixtureEntry> {
  return {
    '/proc/meminfo': { from: `${UR}/proc/meminfo` },
    '/proc/cpuinfo': { from: `${PROCFS}/proc/cpuinfo` },
    '/etc/os-release': { from: `${UR}/etc/os-release` },
    '/sys/block/sda/size': { from: `${UR}/sys/block/sda/size` },
    '/sys/block/sda/queue/logical_block_size': { from: `${UR}/sys/block/sda/queue/logical_block_size` },
    '/sys/class/dmi/id/sys_vendor': { from: `${UR}/sys/class/dmi/id/sys_vendor` },
    '/sys/class/dmi/id/product_name': { from: `${UR}/sys/class/dmi/id/product_name` },
    '/sys/class/dmi/id/product_family': { from: `${UR}/sys/class/dmi/id/product_family` },
    '/sys/class/dmi/id/bios_vendor': { from: `${UR}/sys/class/dmi/id/bios_vendor` },
    '/sys/class/dmi/id/bios_version': { from: `${UR}/sys/class/dmi/id/bios_version` },
  };
}

export function ubuntuHostCommands(): Record<string, string> {
  return { [['dpkg-query', ...DPKG_QUERY].join(' ')]: upstream('ohai/spec/data/plugins/dpkg-query.output') };
}
