import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ALL_COLLECTOR_NAMES, type CollectorName } from '../collectors/collector-registry';
import { crashesConfigSchema, rigConfigSchema } from '../crashes/crash-config';
import { absolutePath, duration } from './config-fields';
import defaults from './default-config.json';

/** Same location as the original disp-helper, so existing provisioning finds it. */
export const DEFAULT_CONFIG_PATH = '/etc/vz/disp_helper.json';

const collectorName = z.enum(ALL_COLLECTOR_NAMES as [CollectorName, ...CollectorName[]]);

const protocolSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('HTTP'),
    hub_url: z.url({ protocol: /^https?$/ }),
    token: z.string().min(1).optional(),
    ca_file: absolutePath.optional(),
  }),
  z.strictObject({ type: z.literal('FILE'), path: absolutePath }),
]);

/** Keys follow the original disp_helper.json (snake_case, `report_period`). Unknown keys are errors, so typos surface. */
const configSchema = z.strictObject({
  /** Consent: nothing is collected on schedule or sent unless true. */
  enabled: z.boolean(),
  report_period: duration,
  collectors: z.partialRecord(collectorName, z.boolean()),
  timetable: z.partialRecord(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']), z.array(collectorName)).optional(),
  protocol: protocolSchema,
  output_dir: absolutePath,
  spool_dir: absolutePath,
  state_dir: absolutePath,
  scripts_dir: absolutePath,
  host_root: absolutePath,
  collector_timeout: duration,
  command_timeout: duration,
  script_timeout: duration,
  script_output_limit: z.number().int().positive(),
  spool_max_reports: z.number().int().positive(),
  http_timeout: duration,
  retry_initial: duration,
  retry_max: duration,
  crashes: crashesConfigSchema,
  /** Test-rig mode: watch dump locations and send at once, labelled. */
  rig: rigConfigSchema.optional(),
});

export type AgentConfig = z.output<typeof configSchema>;
export type AgentConfigInput = z.input<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Merges over the defaults; every problem is reported as `config: <key path>: <what is wrong>`. */
export function parseAgentConfig(input: unknown): AgentConfig {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new ConfigError('config: (root): expected a JSON object');
  const parsed = configSchema.safeParse({ ...defaults, ...input });
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues
      .map((issue) => {
        const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k].join('.')).join(', ') : issue.path.join('.');
        return `config: ${keys || '(root)'}: ${issue.code === 'unrecognized_keys' ? 'unknown key' : issue.message}`;
      })
      .join('\n'),
  );
}

export function loadAgentConfig(path: string): AgentConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`config: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`config: ${path} is not valid JSON: ${(err as Error).message}`);
  }
  return parseAgentConfig(json);
}

/** Collectors are on unless switched off explicitly. */
export function isCollectorEnabled(config: AgentConfig, name: CollectorName): boolean {
  return config.collectors[name] !== false;
}
