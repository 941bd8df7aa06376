import { RIG_LABEL_KEYS } from '../../../libs/contracts/src/crash/crash-delivery';
import type { RigConfig } from './crash-config';

export interface RigSettings {
  labels: Record<string, string>;
  /** API token for the hub; replaces the protocol token when set. */
  token?: string;
}

/** Environment set by the test harness; it wins over the config so each test run can label itself. */
const ENV = {
  name: 'CEP_RIG_NAME',
  test_run: 'CEP_TEST_RUN_ID',
  build: 'CEP_BUILD',
  test_name: 'CEP_TEST_NAME',
  token: 'CEP_API_TOKEN',
} as const;

/** Test-rig mode is on with a `rig` config section or `--rig`; otherwise undefined. */
export function resolveRigSettings(config: RigConfig | undefined, env: NodeJS.ProcessEnv, flag: boolean): RigSettings | undefined {
  if (!config && !flag) return undefined;
  const value = (key: keyof typeof ENV) => env[ENV[key]]?.trim() || config?.[key];
  const labels: Record<string, string> = {};
  const set = (label: string, v: string | undefined) => v && (labels[label] = v.slice(0, 256));
  set(RIG_LABEL_KEYS.rig, value('name'));
  set(RIG_LABEL_KEYS.testRun, value('test_run'));
  set(RIG_LABEL_KEYS.build, value('build'));
  set(RIG_LABEL_KEYS.testName, value('test_name'));
  return { labels, token: value('token') };
}
