import { z } from 'zod';
import { absolutePath, duration } from '../config/config-fields';
import { DEFAULT_CRASH_PACKAGES } from './crash-policy';

/**
 * `crashes` section. Every key has a default so a partial section (`{"archive": true}`) keeps the
 * standard dump locations.
 */
export const crashesConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** ABRT problem directories; /var/tmp/abrt is the pre-RHEL7 location still found on old hosts. */
    abrt_roots: z.array(absolutePath).default(['/var/spool/abrt', '/var/tmp/abrt']),
    /** python-meh dumps: /tmp during the install, /var/log/anaconda on the installed system. */
    anaconda_roots: z.array(absolutePath).default(['/tmp', '/var/log/anaconda']),
    /** kdump `path` (default /var/crash): one dump directory per crash, with vmcore-dmesg.txt. */
    kdump_roots: z.array(absolutePath).default(['/var/crash']),
    /** Send a scrubbed problem-directory archive instead of a uReport (types without a uReport always go as archives). */
    archive: z.boolean().default(false),
    /** Cores hold process memory: only with explicit consent, and then as-is. */
    include_coredump: z.boolean().default(false),
    poll_interval: duration.default(60_000),
    /** Rigs want crashes within seconds; the poll only backs up inotify. */
    rig_poll_interval: duration.default(1_000),
    state_file: z.string().min(1).default('crash-state.json'),
    /** ABRT's ProcessUnpackaged = no: a program no package owns may be the customer's own. */
    process_unpackaged: z.boolean().default(false),
    /** Package names or `prefix*` patterns whose crashes may be sent: by default the vendor's own. */
    packages: z.array(z.string().min(1)).default([...DEFAULT_CRASH_PACKAGES]),
    /** In rig mode, crashes of unpackaged (vendor test) builds are sent too, still scrubbed. */
    rig_unpackaged: z.boolean().default(true),
  })
  .prefault({});

/** `rig` section; environment variables (CEP_RIG_NAME …) fill or override it. */
export const rigConfigSchema = z.strictObject({
  name: z.string().min(1).max(256).optional(),
  test_run: z.string().min(1).max(256).optional(),
  build: z.string().min(1).max(256).optional(),
  test_name: z.string().min(1).max(256).optional(),
  token: z.string().min(1).optional(),
});

export type CrashesConfig = z.output<typeof crashesConfigSchema>;
export type RigConfig = z.output<typeof rigConfigSchema>;
