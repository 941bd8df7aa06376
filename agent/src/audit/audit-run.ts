import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { crashesCommand } from '../crashes/crashes-command';
import { ProcessCommandRunner, RecordedCommandRunner, type CommandOptions, type CommandResult, type CommandRunner } from '../host/command-runner';
import { parseAgentConfig, type AgentConfig } from '../config/agent-config';
import { readReport } from '../report/report-builder';
import { AgentRuntime } from '../runtime/agent-runtime';
import { plantCorpus, type AuditCorpus } from './audit-corpus';
import { findLeaks, inflatedText, type Leak } from './audit-scan';

export interface AuditResult {
  corpus: AuditCorpus;
  config: AgentConfig;
  runtime: AgentRuntime;
  leaks: Leak[];
  /** Where the audit looked, and how many bytes each held (an empty place proves nothing). */
  searched: Array<{ where: string; bytes: number }>;
  /** Crashes the policy must keep on the host that it did not, or kept for another reason. */
  policyFailures: string[];
  /** Why the run could not exercise everything (external scripts only run when root-owned). */
  notes: string[];
}

/** The fake host's product tools answer from recordings; its external scripts really run. */
class AuditRunner implements CommandRunner {
  private readonly recorded: RecordedCommandRunner;
  private readonly real = new ProcessCommandRunner();

  constructor(
    private readonly root: string,
    commands: Record<string, string>,
  ) {
    this.recorded = new RecordedCommandRunner(commands);
  }

  run(command: string, args: readonly string[], options?: CommandOptions): Promise<CommandResult> {
    return command.startsWith(`${this.root}/`) ? this.real.run(command, args, options) : this.recorded.run(command, args);
  }
}

function filesUnder(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    out = statSync(file).isDirectory() ? [...out, ...filesUnder(file)] : [...out, file];
  }
  return out;
}

/**
 * Plants the corpus, runs the agent over it as a host would (collect into the output dir, preview,
 * build and spool the CEP report and every crash), and looks for each planted value in every
 * spelling in what would leave the host. With `hubUrl`, the spool is then delivered there.
 */
export async function runAudit(options: { work?: string; hubUrl?: string; token?: string } = {}): Promise<AuditResult> {
  const work = options.work ?? mkdtempSync(path.join(tmpdir(), 'cep-audit-'));
  const corpus = plantCorpus(work);
  const config = parseAgentConfig({
    enabled: true,
    host_root: corpus.root,
    scripts_dir: `/${path.relative(corpus.root, corpus.scriptsDir)}`,
    output_dir: path.join(work, 'output'),
    spool_dir: path.join(work, 'spool'),
    state_dir: path.join(work, 'state'),
    protocol: options.hubUrl ? { type: 'HTTP', hub_url: options.hubUrl, ...(options.token ? { token: options.token } : {}) } : { type: 'FILE', path: path.join(work, 'sent', 'report.tar.gz') },
    crashes: { abrt_roots: [corpus.abrtRoot], anaconda_roots: [corpus.anacondaRoot], kdump_roots: [corpus.kdumpRoot] },
  });
  const runtime = await AgentRuntime.create(config, { runner: new AuditRunner(corpus.root, corpus.commands), log: () => undefined });
  const texts: Array<{ where: string; text: string }> = [];
  const notes: string[] = [];

  const results = await runtime.collect(runtime.enabledCollectors(), { record: true });
  for (const r of results) if (r.name.startsWith('script') && r.status !== 'ok') notes.push(`external script ${r.status}: ${r.reason ?? ''}`);
  if (!results.some((r) => r.name.startsWith('script') && r.status === 'ok')) notes.push('no external script ran (they must be root-owned): its output was not exercised');
  for (const file of filesUnder(config.output_dir)) texts.push({ where: `output dir ${path.basename(file)}`, text: readFileSync(file, 'utf8') });

  const report = await runtime.build(results, { record: true });
  const preview = [...(await readReport(report.tarball))].map(([file, text]) => `==> ${file}\n${text}`).join('\n');
  texts.push({ where: 'preview', text: preview });
  await runtime.enqueue(report);

  const listing: string[] = [];
  await crashesCommand(runtime, 'list', undefined, (t) => listing.push(t), () => undefined);
  const crashPreview: string[] = [];
  await crashesCommand(runtime, 'preview', undefined, (t) => crashPreview.push(t), () => undefined);
  texts.push({ where: 'crashes preview', text: crashPreview.join('\n') });
  const policyFailures = corpus.withheld
    .filter((w) => !listing.some((line) => line.startsWith('withheld') && line.includes(w.dir) && w.reason.test(line)))
    .map((w) => `${path.basename(w.dir)} was not withheld with reason ${w.reason}`);
  await runtime.crashReporter().collect();
  // The same crashes again as problem-directory archives (crashes.archive), which carry more elements.
  const archiveConfig = { ...config, state_dir: path.join(work, 'state-archive'), spool_dir: path.join(work, 'spool-archive'), crashes: { ...config.crashes, archive: true } };
  const archiveRuntime = await AgentRuntime.create(archiveConfig, { runner: new AuditRunner(corpus.root, corpus.commands), log: () => undefined });
  await archiveRuntime.crashReporter().collect();

  for (const r of [runtime, archiveRuntime]) {
    for (const entry of await r.spool.list()) {
      const body = await r.spool.read(entry);
      if (body) texts.push({ where: `sent ${entry.kind} ${entry.reportId}`, text: inflatedText(body) + body.toString('latin1') });
      texts.push({ where: `sent headers ${entry.reportId}`, text: JSON.stringify(await r.spool.headers(entry)) });
    }
  }
  const searched = texts.map((t) => ({ where: t.where, bytes: Buffer.byteLength(t.text) }));
  const leaks = findLeaks(corpus.planted, texts);
  if (options.hubUrl) for (const r of [runtime, archiveRuntime]) await r.deliver({ maxFailures: 3 });
  if (!options.work) rmSync(work, { recursive: true, force: true });
  return { corpus, config, runtime, leaks, searched, policyFailures, notes };
}

/** The audit as `cep-agent audit` prints it; exit code 0 when nothing leaked. */
export async function auditCommand(out: (text: string) => void, err: (text: string) => void): Promise<number> {
  const result = await runAudit();
  out(`planted ${result.corpus.planted.length} values in a fake root, an external script and crash dirs`);
  for (const s of result.searched) out(`  searched ${s.where} (${s.bytes} bytes)`);
  for (const n of result.notes) err(`note: ${n}`);
  for (const f of result.policyFailures) out(`POLICY ${f}`);
  for (const l of result.leaks) out(`LEAK ${l.kind}: ${JSON.stringify(l.form)} in ${l.where}`);
  const ok = result.leaks.length === 0 && result.policyFailures.length === 0;
  out(ok ? 'no planted value found in anything that would be sent' : `${result.leaks.length} leak(s), ${result.policyFailures.length} policy failure(s)`);
  return ok ? 0 : 1;
}
