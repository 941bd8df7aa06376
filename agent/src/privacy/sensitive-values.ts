import type { CommandRunner } from '../host/command-runner';
import type { HostFs } from '../host/host-fs';

/** Instance identifiers kept in sysfs; collectors never read them, the scrubber redacts them anywhere. */
const DMI_IDS = ['product_serial', 'board_serial', 'chassis_serial', 'product_uuid', 'chassis_asset_tag', 'board_asset_tag'];
const FIRST_REGULAR_UID = 1000;

function collectNames(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) value.forEach((v) => collectNames(v, out));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (/^(name|hostname|description|ip|ip_address|home)$/i.test(key) && typeof v === 'string') out.add(String(v));
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
  const add = (v: string | undefined) => v && values.add(v.trim());
  for (const path of ['/proc/sys/kernel/hostname', '/etc/hostname', '/etc/machine-id', '/var/lib/dbus/machine-id', '/proc/sys/kernel/domainname']) {
    const v = await fs.readValue(path);
    if (v && v !== '(none)' && v !== 'localhost') {
      add(v);
      add(v.split('.')[0]);
    }
  }
  for (const line of ((await fs.readText('/etc/hosts')) ?? '').split('\n')) {
    for (const name of line.replace(/#.*/, '').trim().split(/\s+/).slice(1)) if (!/^(localhost|ip6-)/.test(name)) add(name);
  }
  for (const line of ((await fs.readText('/etc/passwd')) ?? '').split('\n')) {
    const [user, , uid, , gecos] = line.split(':');
    if (user && Number(uid) >= FIRST_REGULAR_UID && user !== 'nobody') {
      add(user);
      add(gecos?.split(',')[0]);
    }
  }
  for (const id of DMI_IDS) add(await fs.readValue(`/sys/class/dmi/id/${id}`));
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
  return [...values].filter((v) => v && !/^(\d+|to be filled by o\.e\.m\.|default string|not specified|none|system serial number)$/i.test(v));
}
