#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { CEP_MANIFEST_FILE } from '../../../libs/contracts/src/cep';
import { auditCommand } from '../audit/audit-run';
import { ALL_COLLECTOR_NAMES } from '../collectors/collector-registry';
import { ConfigError, DEFAULT_CONFIG_PATH, loadAgentConfig } from '../config/agent-config';
import { crashesCommand, CRASH_SUBCOMMANDS } from '../crashes/crashes-command';
import { resolveRigSettings } from '../crashes/rig-settings';
import { eraseCommand } from '../erasure/erase-command';
import { readReport } from '../report/report-builder';
import { AgentRuntime } from '../runtime/agent-runtime';
import { resetIdentity } from '../state/host-identity';

const USAGE = `usage: cep-agent [--config FILE] <command>
  run [--rig]          follow the timetable (daemon) and watch for crashes
  collect [--only N]   run collectors now; outputs go to the output directory
  preview [--only N]   print exactly what would be sent (manifest and every file of the report)
  send                 collect everything now, spool the report and deliver the spool
  status               last run per collector, spool size, next due slot
  reset-id             replace the random host id and its erasure key
  erase [--dry-run]    have the hub erase everything it holds about this host, check that it did,
                       then start afresh: new host id and erasure key, spooled reports dropped
  crashes list         problems found in the dump locations, and whether they were sent
  crashes preview      print exactly what would be sent for each unsent problem
  crashes send [--rig] spool and deliver every unsent problem (and occurrence updates)
  audit                plant fake secrets in a fake root and crash dirs, run the agent over them and
                       report any planted value found in what would be sent (exit 1 if any)
--rig: test-rig mode (labels and token from the rig config section or CEP_RIG_NAME, CEP_TEST_RUN_ID,
  CEP_BUILD, CEP_TEST_NAME, CEP_API_TOKEN); crashes are sent at once
collectors: ${ALL_COLLECTOR_NAMES.join(', ')}`;

type Out = (text: string) => void;

/** Exit code; separated from process handling so tests can drive the CLI in-process. */
export async function main(argv: string[], out: Out = (t) => process.stdout.write(`${t}\n`), err: Out = (t) => process.stderr.write(`${t}\n`)): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        only: { type: 'string', multiple: true },
        rig: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    err(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const [command, ...extra] = parsed.positionals;
  const subcommandOk = command === 'crashes' ? extra.length === 1 && (CRASH_SUBCOMMANDS as readonly string[]).includes(extra[0]) : extra.length === 0;
  if (parsed.values.help || !command || !subcommandOk) {
    (parsed.values.help ? out : err)(USAGE);
    return parsed.values.help ? 0 : 2;
  }
  const only = parsed.values.only?.flatMap((v) => v.split(','));
  const unknown = only?.filter((n) => !(ALL_COLLECTOR_NAMES as readonly string[]).includes(n));
  if (unknown?.length) {
    err(`unknown collector: ${unknown.join(', ')}\n${USAGE}`);
    return 2;
  }

  // Needs no config: it runs the agent over a fake root of its own.
  if (command === 'audit') return auditCommand(out, err);
  let config;
  try {
    config = loadAgentConfig(parsed.values.config ?? DEFAULT_CONFIG_PATH);
  } catch (e) {
    if (e instanceof ConfigError) {
      err(e.message);
      return 78; // EX_CONFIG: systemd will not restart-loop on a broken config
    }
    throw e;
  }
  if (command === 'reset-id') {
    out((await resetIdentity(config.state_dir)).hostId);
    return 0;
  }
  // Before the runtime, which would make an id and key where there are none: erasing those is pointless.
  if (command === 'erase') return eraseCommand(config, { dryRun: parsed.values['dry-run'] === true }, out, err);
  const runtime = await AgentRuntime.create(config, { log: err });
  const rig = resolveRigSettings(config.rig, process.env, parsed.values.rig === true);
  // Timetable order whatever order --only was given in, so reports always list collectors alike.
  const names = only ? ALL_COLLECTOR_NAMES.filter((n) => only.includes(n)) : runtime.enabledCollectors();

  switch (command) {
    case 'collect': {
      for (const r of await runtime.collect(names, { record: true })) out(`${r.name.padEnd(22)} ${r.status.padEnd(14)} ${String(r.durationMs).padStart(6)} ms${r.reason ? `  ${r.reason}` : ''}`);
      out(`outputs in ${config.output_dir}`);
      return 0;
    }
    case 'preview': {
      const report = await runtime.build(await runtime.collect(names, { record: false }), { record: false });
      for (const [file, text] of await readReport(report.tarball)) out(`==> ${file}${file === CEP_MANIFEST_FILE ? ` (report.tar.gz, ${report.tarball.length} bytes)` : ''}\n${text}`);
      if (!config.enabled) out('\nCEP is disabled (enabled: false): nothing is sent until consent is given in the config.');
      return 0;
    }
    case 'send': {
      if (!config.enabled) {
        err('CEP is disabled (enabled: false in the config); nothing sent');
        return 1;
      }
      await runtime.enqueue(await runtime.build(await runtime.collect(names, { record: true }), { record: true }));
      const result = await runtime.deliver({ maxFailures: 3 });
      out(`sent ${result.sent.length} report(s); ${result.remaining} left in the spool`);
      return result.remaining === 0 ? 0 : 1;
    }
    case 'status': {
      out(JSON.stringify(await runtime.status(), null, 2));
      return 0;
    }
    case 'run': {
      // A rig is the vendor's own machine: rig mode is consent for crashes, not for CEP telemetry.
      const crashProblem = runtime.crashDeliveryProblem();
      const watchCrashes = (config.enabled || rig !== undefined) && !crashProblem;
      if (!config.enabled && !watchCrashes) {
        err('CEP is disabled (enabled: false in the config); the agent collects nothing and exits');
        return 0;
      }
      if (crashProblem) err(`cep-agent: not watching for crashes: ${crashProblem}`);
      const stop = new AbortController();
      for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => stop.abort());
      await Promise.all([
        config.enabled ? runtime.runDaemon(stop.signal, (slot, results) => err(`cep-agent: ${slot.day} slot: ${results.map((r) => `${r.name}=${r.status}`).join(' ')}`)) : undefined,
        watchCrashes ? runtime.watchCrashes(stop.signal, rig) : undefined,
      ]);
      return 0;
    }
    case 'crashes':
      return crashesCommand(runtime, extra[0] as (typeof CRASH_SUBCOMMANDS)[number], rig, out, err);
    default:
      err(`unknown command: ${command}\n${USAGE}`);
      return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`cep-agent: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
