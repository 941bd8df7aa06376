import type { CollectorOutput } from '../../../libs/contracts/src/cep';
import type { CommandResult } from '../host/command-runner';
import { isAllowed } from '../privacy/allow-lists';
import type { Collector } from './collector';
import { notAvailable, ok } from './collector';

type Package = CollectorOutput<'software'>['packages'][number];

/** Same query formats as Ohai's package plugin, so its recorded outputs replay here. */
export const RPM_QUERY = ['-qa', '--qf', '%{NAME}\\t%{EPOCH}\\t%{VERSION}\\t%{RELEASE}\\t%{INSTALLTIME}\\t%{ARCH}\\n'];
export const DPKG_QUERY = ['-W', '-f=${Package}\\t${Version}\\t${Architecture}\\t${db:Status-Status}\\n'];

function parseRpm(stdout: string): Package[] {
  return stdout
    .split('\n')
    .map((line) => line.split('\t'))
    .filter((cols) => cols.length >= 4)
    .map(([name, , version, release]) => ({ name, version: `${version}-${release}` }));
}

function parseDpkg(stdout: string): Package[] {
  return stdout
    .split('\n')
    .map((line) => line.split('\t'))
    .filter((cols) => cols.length >= 4 && cols[3] === 'installed')
    .map(([name, version]) => ({ name, version }));
}

export const softwareCollector: Collector<'software'> = {
  name: 'software',
  async collect(ctx) {
    const opts = { timeoutMs: ctx.commandTimeoutMs };
    const rpm: CommandResult = await ctx.runner.run('rpm', RPM_QUERY, opts);
    let packageManager: 'rpm' | 'dpkg' = 'rpm';
    let packages: Package[];
    if (rpm.status === 'ok') {
      packages = parseRpm(rpm.stdout);
    } else {
      const dpkg = await ctx.runner.run('dpkg-query', DPKG_QUERY, opts);
      if (dpkg.status !== 'ok') return notAvailable(`rpm ${rpm.status}, dpkg-query ${dpkg.status}`);
      packageManager = 'dpkg';
      packages = parseDpkg(dpkg.stdout);
    }
    const allowed = packages
      .filter((p) => isAllowed(ctx.allowLists.packages, p.name))
      .sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
    return ok({ packageManager, packages: allowed });
  },
};
