import type { AgentRuntime } from '../runtime/agent-runtime';
import type { RigSettings } from './rig-settings';

export const CRASH_SUBCOMMANDS = ['list', 'preview', 'send'] as const;
type Out = (text: string) => void;

/** `cep-agent crashes list|preview|send`. */
export async function crashesCommand(runtime: AgentRuntime, sub: (typeof CRASH_SUBCOMMANDS)[number], rig: RigSettings | undefined, out: Out, err: Out): Promise<number> {
  const reporter = runtime.crashReporter(rig);
  switch (sub) {
    case 'list': {
      for (const f of await reporter.scan()) {
        const pending = f.status === 'repeat' ? ` +${f.occurrences}` : '';
        out(`${f.status.padEnd(11)} ${f.type.padEnd(10)} count=${String(f.count).padEnd(5)}${pending} ${f.location.path}${f.withheld ? `  not sent: ${f.withheld}` : ''}`);
      }
      return 0;
    }
    case 'preview': {
      for (const f of await reporter.scan()) {
        if (f.status !== 'new' && f.status !== 'repeat') continue;
        const s = await reporter.build(f);
        // Not the path: kdump names its directories after the host's address.
        out(`==> ${f.type} ${f.status} problem: ${s.kind} ${s.reportId} (${s.body.length} bytes)`);
        if (s.ureport) out(JSON.stringify(JSON.parse(s.body.toString()), null, 2));
        if (s.headers) for (const [k, v] of Object.entries(s.headers)) out(`${k}: ${v}`);
        for (const [name, text] of s.archiveMembers ?? []) out(`--> ${name}\n${text}`);
      }
      if (!runtime.config.enabled && !rig) out('\nCEP is disabled (enabled: false): nothing is sent until consent is given in the config.');
      return 0;
    }
    case 'send': {
      if (!runtime.config.enabled && !rig) {
        err('CEP is disabled (enabled: false in the config) and not in rig mode; nothing sent');
        return 1;
      }
      const problem = runtime.crashDeliveryProblem();
      if (problem) {
        err(`cep-agent: ${problem}`);
        return 1;
      }
      const spooled = await reporter.collect();
      const result = await runtime.deliver({ maxFailures: 3, token: rig?.token });
      out(`spooled ${spooled.length} crash report(s); sent ${result.sent.length}; ${result.remaining} left in the spool`);
      return result.remaining === 0 ? 0 : 1;
    }
  }
}
