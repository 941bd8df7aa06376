import type { CollectorOutput } from '../../../../libs/contracts/src/cep';
import type { HostFs } from '../../host/host-fs';

type Virtualization = CollectorOutput<'hardware'>['virtualization'];

/** DMI product/vendor strings of common hypervisors (Facter's DMI table, trimmed). */
const DMI_HINTS: Array<[RegExp, Virtualization['system']]> = [
  [/vmware/i, 'vmware'],
  [/virtualbox|innotek/i, 'virtualbox'],
  [/kvm/i, 'kvm'],
  [/qemu|bochs/i, 'qemu'],
  [/hvm domu|xen/i, 'xen'],
  [/virtual machine|microsoft/i, 'hyperv'],
  [/parallels|virtuozzo/i, 'openvz'],
];

/**
 * OpenVZ rule combined from Ohai/systemd/Facter: /proc/vz exists inside and outside containers,
 * /proc/bc only on the node; `envID: 0` confirms the node.
 */
export async function detectVirtualization(fs: HostFs): Promise<Virtualization> {
  const osRelease = (await fs.readText('/etc/os-release')) ?? '';
  const virtuozzoOs = /^ID="?virtuozzo"?$/m.test(osRelease);
  if (await fs.exists('/proc/vz')) {
    const status = (await fs.readText('/proc/self/status')) ?? '';
    const envId = /^envID:\s*(\d+)/m.exec(status)?.[1];
    const node = (await fs.exists('/proc/bc')) || envId === '0';
    if (node) return { role: 'host', system: 'openvz', virtuozzoHost: true };
    return { role: 'guest', system: 'openvz', virtuozzoHost: false };
  }
  const cgroup = (await fs.readText('/proc/1/cgroup')) ?? '';
  if (/\/docker[/-]/.test(cgroup)) return { role: 'guest', system: 'docker', virtuozzoHost: false };
  if (/\/lxc\//.test(cgroup)) return { role: 'guest', system: 'lxc', virtuozzoHost: false };

  const cpuinfo = (await fs.readText('/proc/cpuinfo')) ?? '';
  const dmi = [await fs.readValue('/sys/class/dmi/id/product_name'), await fs.readValue('/sys/class/dmi/id/sys_vendor')].join(' ');
  const hinted = DMI_HINTS.find(([re]) => re.test(dmi))?.[1];
  if (hinted || /^flags\s*:.*\bhypervisor\b/m.test(cpuinfo) || (await fs.exists('/proc/xen'))) {
    return { role: 'guest', system: hinted ?? ((await fs.exists('/proc/xen')) ? 'xen' : 'unknown'), virtuozzoHost: virtuozzoOs };
  }
  if (await fs.exists('/sys/devices/virtual/misc/kvm')) return { role: 'host', system: 'kvm', virtuozzoHost: virtuozzoOs };
  return { role: 'none', system: 'none', virtuozzoHost: virtuozzoOs };
}
