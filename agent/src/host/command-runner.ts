import { spawn } from 'node:child_process';

export interface CommandOptions {
  timeoutMs?: number;
  /** Stdout beyond this many bytes kills the command; protects the agent from runaway output. */
  maxOutputBytes?: number;
}

export type CommandResult =
  | { status: 'ok'; stdout: string }
  | { status: 'not-found' }
  | { status: 'failed'; exitCode: number | null; stderr: string }
  | { status: 'timed-out' }
  | { status: 'output-too-large' };

/** Every external command goes through a runner so tests can replay recorded outputs. */
export interface CommandRunner {
  run(command: string, args: readonly string[], options?: CommandOptions): Promise<CommandResult>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_OUTPUT = 8 * 1024 * 1024;

export class ProcessCommandRunner implements CommandRunner {
  /** Product tools live in sbin dirs that a systemd service PATH may lack (as vzstats did). */
  constructor(private readonly extraPath = '/usr/sbin:/sbin:/usr/local/sbin') {}

  run(command: string, args: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const maxBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
    return new Promise((resolve) => {
      const child = spawn(command, args, {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, PATH: `${process.env.PATH ?? '/usr/bin:/bin'}:${this.extraPath}`, LC_ALL: 'C' },
        // Own process group so a timeout also kills the script's children.
        detached: true,
      });
      const out: Buffer[] = [];
      let outBytes = 0;
      let stderr = '';
      let verdict: CommandResult | undefined;
      const kill = (result: CommandResult) => {
        verdict ??= result;
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      };
      const timer = setTimeout(() => kill({ status: 'timed-out' }), timeoutMs);
      child.stdout.on('data', (chunk: Buffer) => {
        outBytes += chunk.length;
        if (outBytes > maxBytes) kill({ status: 'output-too-large' });
        else out.push(chunk);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        if (stderr.length < 4096) stderr += chunk.toString('utf8');
      });
      child.on('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        resolve(err.code === 'ENOENT' || err.code === 'EACCES' ? { status: 'not-found' } : { status: 'failed', exitCode: null, stderr: err.message });
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        if (verdict) resolve(verdict);
        else if (code === 0) resolve({ status: 'ok', stdout: Buffer.concat(out).toString('utf8') });
        else resolve({ status: 'failed', exitCode: code, stderr });
      });
    });
  }
}

/**
 * Replays recorded outputs keyed by the full command line (`"prlctl list -a -i -j"`).
 * Unrecorded commands behave like a missing tool, which is what a fixture host without it means.
 */
export class RecordedCommandRunner implements CommandRunner {
  constructor(private readonly recordings: Readonly<Record<string, string | CommandResult>>) {}

  async run(command: string, args: readonly string[]): Promise<CommandResult> {
    const recorded = this.recordings[[command, ...args].join(' ')];
    if (recorded === undefined) return { status: 'not-found' };
    return typeof recorded === 'string' ? { status: 'ok', stdout: recorded } : recorded;
  }
}
