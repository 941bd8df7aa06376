import type { BuiltinCollectorName } from '../../../libs/contracts/src/cep';
import { cgroupsCollector } from './cgroups.collector';
import { clustersCollector } from './clusters.collector';
import type { Collector } from './collector';
import { containerContentsCollector } from './container-contents.collector';
import { containerSettingsCollector } from './container-settings.collector';
import { cpuCollector } from './cpu.collector';
import { disksCollector } from './disks.collector';
import { hardwareCollector } from './hardware.collector';
import { memoryCollector } from './memory.collector';
import { networkCollector } from './network.collector';
import { servicesCollector } from './services.collector';
import { simfsCollector } from './simfs.collector';
import { softwareCollector } from './software.collector';
import { staticSettingsCollector } from './static-settings.collector';
import { vmGuestsCollector } from './vm-guests.collector';
import { vmSettingsCollector } from './vm-settings.collector';

export const BUILTIN_COLLECTORS: { [N in BuiltinCollectorName]: Collector<N> } = {
  hardware: hardwareCollector,
  network: networkCollector,
  memory: memoryCollector,
  cpu: cpuCollector,
  disks: disksCollector,
  'vm-guests': vmGuestsCollector,
  'vm-settings': vmSettingsCollector,
  'container-contents': containerContentsCollector,
  'container-settings': containerSettingsCollector,
  services: servicesCollector,
  software: softwareCollector,
  clusters: clustersCollector,
  cgroups: cgroupsCollector,
  simfs: simfsCollector,
  'static-settings': staticSettingsCollector,
};

/** Timetable/config name for the scripts directory, which yields one result per script. */
export const EXTERNAL_SCRIPTS = 'external-scripts';
export type CollectorName = BuiltinCollectorName | typeof EXTERNAL_SCRIPTS;
export const ALL_COLLECTOR_NAMES: readonly CollectorName[] = [...(Object.keys(BUILTIN_COLLECTORS) as BuiltinCollectorName[]), EXTERNAL_SCRIPTS];
