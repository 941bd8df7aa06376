import type { CommandRunner } from '../host/command-runner';
import type { HostFs } from '../host/host-fs';

/** Instance identifiers kept in sysfs; collectors never read them, the scrubber redacts them anywhere. */
const DMI_IDS = ['product_serial', 'board_serial', 'chassis_serial', 'product_uuid', 'chassis_asset_tag', 'board_asset_tag'];
const FIRST_REGULAR_UID = 1000;

function collectNames(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) value.forEach((v) => collectNames(v, out));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (/^(name|hostname|description|ip|ip_address|home|uuid|envid|ctid|veid|id|mac|hwaddr)$/i.test(key) && (typeof v === 'string' || typeof v === 'number')) out.add(String(v));
      else if (/^(ip|ip_address|ips)$/i.test(key) && Array.isArray(v)) v.forEach((a) => typeof a === 'string' && out.add(a.split('/')[0]));
      else if (typeof v === 'object') collectNames(v, out);
    }
  }
}

/**
 * Gathers this host's identifying strings so the scrubber can redact them wherever they surface
 * (an external script echoing the hostname, a VM named after a customer).
 */
export async function gatherSensitiveValues(fs: HostFs, runner: CommandRunner, timeoutMs: number): Promise<string[]> {
  const values = new Set<string>();
  // prlctl prints VM ids in braces; the scrubber must find them bare too.
  const add = (v: string | undefined) => v && values.add(v.trim().replace(/^\{(.*)\}$/, '$1'));
  for (const path of ['/proc/sys/kernel/hostname', '/etc/hostname', '/etc/machine-id', '/var/lib/dbus/machine-id', '/proc/sys/kernel/domainname']) {
    const v = await fs.readValue(path);
    if (v && v !== '(none)' && v !== 'localhost') {
      add(v);
      add(v.split('.')[0]);
    }
  }
  for (const line of ((await fs.readText('/etc/hosts')) ?? '').split('\n')) {
    const [address, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    const local = names.filter((name) => !/^(localhost|ip6-)/.test(name));
    local.forEach(add);
    if (local.length && !/^(127\.|::1$|fe00::|ff0)/.test(address)) add(address);
  }
  for (const line of ((await fs.readText('/etc/passwd')) ?? '').split('\n')) {
    const [user, , uid, , gecos, home] = line.split(':');
    if (user && Number(uid) >= FIRST_REGULAR_UID && user !== 'nobody') {
      add(user);
      add(gecos?.split(',')[0]);
      add(home?.split('/').pop());
    }
  }
  for (const line of ((await fs.readText('/etc/resolv.conf')) ?? '').split('\n')) {
    const m = /^\s*(?:search|domain)\s+(.+)$/.exec(line);
    if (m) m[1].split(/\s+/).forEach(add);
  }
  for (const id of DMI_IDS) add(await fs.readValue(`/sys/class/dmi/id/${id}`));
  for (const nic of (await fs.readDir('/sys/class/net')) ?? []) {
    const mac = await fs.readValue(`/sys/class/net/${nic}/address`);
    if (mac && !/^(00:){5}00$/.test(mac)) add(mac);
  }
  // Local addresses: IPv4 from the routing trie's host entries, IPv6 as /proc prints them.
  for (const m of ((await fs.readText('/proc/net/fib_trie')) ?? '').matchAll(/\|-- (\d+\.\d+\.\d+\.\d+)\n\s+\/32 host LOCAL/g)) {
    if (!m[1].startsWith('127.')) add(m[1]);
  }
  for (const line of ((await fs.readText('/proc/net/if_inet6')) ?? '').split('\n')) {
    const hex = line.split(/\s+/)[0];
    if (/^[0-9a-f]{32}$/.test(hex) && hex !== '0'.repeat(31) + '1') add(hex.match(/..../g)!.join(':'));
  }
  // Disk names by id, label and uuid: serials, WWNs, filesystem labels and UUIDs in every form udev spells them.
  for (const dir of ['by-id', 'by-label', 'by-uuid', 'by-partuuid', 'by-partlabel']) {
    for (const name of (await fs.readDir(`/dev/disk/${dir}`)) ?? []) {
      const unescaped = name.replace(/\\x([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
      add(unescaped);
      if (dir === 'by-id') {
        const serial = /^(?:ata|scsi|nvme|usb)-.*_([^_]+?)(?:-part\d+)?$/.exec(unescaped)?.[1];
        add(serial);
        add(/^wwn-(0x[0-9a-f]+)/i.exec(unescaped)?.[1]);
      }
    }
  }
  // Container configs: names, host names, addresses and descriptions of every CT, whatever the inventory tools say.
  for (const file of (await fs.readDir('/etc/vz/conf')) ?? []) {
    if (!file.endsWith('.conf') || !/^[\w-]+\.conf$/.test(file) || file === 'vz.conf') continue;
    add(file.slice(0, -'.conf'.length));
    for (const line of ((await fs.readText(`/etc/vz/conf/${file}`)) ?? '').split('\n')) {
      const m = /^\s*(NAME|HOSTNAME|DESCRIPTION|UUID|IP_ADDRESS|SEARCHDOMAIN|NAMESERVER)\s*=\s*"?([^"]*)"?/.exec(line);
      if (!m) continue;
      if (/^(IP_ADDRESS|SEARCHDOMAIN|NAMESERVER)$/.test(m[1])) m[2].split(/\s+/).forEach((t) => add(t.split('/')[0]));
      else {
        add(m[2]);
        if (m[1] === 'HOSTNAME') add(m[2].split('.')[0]);
      }
    }
  }
  for (const dev of (await fs.readDir('/sys/block')) ?? []) {
    add(await fs.readValue(`/sys/block/${dev}/device/serial`));
    add(await fs.readValue(`/sys/block/${dev}/device/wwid`));
    add(await fs.readValue(`/sys/block/${dev}/wwid`));
  }
  const inventories: Array<[string, string[]]> = [
    ['prlctl', ['list', '-a', '-i', '-j', '--vmtype', 'vm']],
    ['vzlist', ['-a', '-j']],
  ];
  for (const [tool, args] of inventories) {
    const result = await runner.run(tool, args, { timeoutMs });
    if (result.status !== 'ok') continue;
    try {
      const names = new Set<string>();
      collectNames(JSON.parse(result.stdout), names);
      names.forEach((n) => add(n));
    } catch {
      // an unparsable inventory contributes nothing; the collectors report it as not available
    }
  }
  // Firmware placeholders and bare numbers identify nobody and would redact ordinary data.
  return [...values].filter((v) => v && !/^(\d+|to be filled by o\.e\.m\.|default string|not specified|none|system serial number|localhost.*|localdomain|\/.*)$/i.test(v));
}
