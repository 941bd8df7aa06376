import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { waitFor } from './wait-for';

/** The repository root (where nest-cli.json is), whether run from sources by Jest or compiled under dist/. */
export function repositoryRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'nest-cli.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no nest-cli.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

const HUB_DIST = join(repositoryRoot(), 'dist', 'apps', 'hub', 'src');
/** Only the tail of a process's output is kept, so long runs do not grow the test's memory. */
const TAIL_CHARS = 256 * 1024;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RunningProcess {
  child: ChildProcess;
  pid: number;
  output(): string;
  /** Sends `signal` (SIGKILL: a crash) and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Graceful stop: SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** Every byte a process prints from now on (its own `output()` keeps only a tail), for leak scans over logs. */
export function captureAll(proc: RunningProcess): () => string {
  let all = proc.output();
  const append = (d: Buffer) => (all += d.toString());
  proc.child.stdout!.on('data', append);
  proc.child.stderr!.on('data', append);
  return () => all;
}

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function track(child: ChildProcess): RunningProcess {
  let out = '';
  const append = (d: Buffer) => (out = (out + d.toString()).slice(-TAIL_CHARS));
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (alive(child)) child.kill(signal);
    await exited;
  };
  return {
    child,
    pid: child.pid!,
    output: () => out,
    kill,
    async stop(graceMs = 10_000) {
      const killer = setTimeout(() => alive(child) && child.kill('SIGKILL'), graceMs);
      await kill('SIGTERM');
      clearTimeout(killer);
    },
  };
}

/** A hub entrypoint (`main` or `worker`) from the build, as a real process; waits for `readyLine`. */
export async function spawnHub(entry: 'main' | 'worker', env: Record<string, string>, readyLine: RegExp): Promise<RunningProcess> {
  const script = join(HUB_DIST, `${entry}.js`);
  if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` (npm test and npm run bench do)`);
  const proc = track(spawn(process.execPath, [script], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'pipe' }));
  try {
    await waitFor(async () => {
      if (!alive(proc.child)) throw new Error(`hub ${entry} exited early:\n${proc.output()}`);
      return readyLine.test(proc.output()) ? true : undefined;
    }, 60_000, `hub ${entry} to start`);
  } catch (error) {
    await proc.kill();
    throw error;
  }
  return proc;
}

/** A private redis-server on its own port, so a test can kill and restart it. */
export async function spawnRedis(port: number): Promise<RunningProcess> {
  const proc = track(
    spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'pipe' }),
  );
  await waitFor(async () => (/Ready to accept connections/.test(proc.output()) ? true : undefined), 10_000, 'redis-server');
  return proc;
}
