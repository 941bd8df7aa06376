import { isAllowed } from '../privacy/allow-lists';
import { published, publishedVzConf, type VocabularyKind } from '../privacy/published-vocabulary';
import type { Collector } from './collector';
import { notAvailable, ok } from './collector';
import { parseShellAssignments } from './parsers/proc-text.parser';

const VALUE = /^[A-Za-z0-9][A-Za-z0-9 ._+:()@/~,-]{0,79}$/;

/**
 * Kernel, product and allow-listed config keys. OS, product and vz.conf values pass only when
 * published (published-vocabulary.json), else as `custom`; other values that are not short tokens are dropped.
 */
export const staticSettingsCollector: Collector<'static-settings'> = {
  name: 'static-settings',
  async collect(ctx) {
    const { fs, allowLists } = ctx;
    const kernelRelease = (await fs.readValue('/proc/sys/kernel/osrelease')) ?? null;
    const osRelease = await fs.readText('/etc/os-release');
    if (kernelRelease === null && osRelease === undefined) return notAvailable('/proc/sys/kernel and /etc/os-release missing');
    const os = parseShellAssignments(osRelease ?? '');
    const pick = (key: string, kind: VocabularyKind) => {
      const v = allowLists.osReleaseKeys.includes(key) ? os.get(key) : undefined;
      return v ? published(kind, v) : null;
    };

    const vzConf: Record<string, string> = {};
    for (const [key, value] of parseShellAssignments((await fs.readText('/etc/vz/vz.conf')) ?? '')) {
      if (isAllowed(allowLists.vzConfKeys, key) && VALUE.test(value)) vzConf[key] = publishedVzConf(key, value);
    }
    const sysctl: Record<string, string> = {};
    for (const key of allowLists.sysctlKeys) {
      const value = (await fs.readValue(`/proc/sys/${key.replace(/\./g, '/')}`))?.replace(/\s+/g, ' ');
      if (value && VALUE.test(value)) sysctl[key] = value;
    }
    const readyKernel = await ctx.runner.run('readykernel', ['info'], { timeoutMs: ctx.commandTimeoutMs });
    const patch = readyKernel.status === 'ok' ? /^Patch(?:\s+version)?:\s*(\S+)/im.exec(readyKernel.stdout)?.[1] : undefined;
    const product = (await fs.readValue('/etc/virtuozzo-release')) ?? (await fs.readValue('/etc/vz-release'));
    return ok({
      kernelRelease: kernelRelease && VALUE.test(kernelRelease) ? kernelRelease : null,
      arch: (await fs.readValue('/proc/sys/kernel/arch')) ?? /\.(x86_64|aarch64|i686|ppc64le|s390x)$/.exec(kernelRelease ?? '')?.[1] ?? null,
      os: { id: pick('ID', 'osId'), versionId: pick('VERSION_ID', 'osVersionId'), name: pick('NAME', 'osName') },
      productVersion: product ? published('productVersion', product) : null,
      readyKernelPatch: patch && VALUE.test(patch) ? patch : null,
      vzConf,
      sysctl,
    });
  },
};
