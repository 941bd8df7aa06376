import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { waitFor } from './wait-for';

const DIST = join(__dirname, '..', '..', 'dist', 'apps', 'hub', 'src');

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
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

function track(child: ChildProcess): RunningProcess {
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => out,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** A hub entrypoint (`main` or `worker`) from the build, as a real process. */
export async function spawnHub(entry: 'main' | 'worker', env: Record<string, string>, readyLine: RegExp): Promise<RunningProcess> {
  const script = join(DIST, `${entry}.js`);
  if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` (npm test does)`);
  const proc = track(spawn(process.execPath, [script], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'pipe' }));
  await waitFor(async () => {
    if (proc.child.exitCode !== null) throw new Error(`hub ${entry} exited early:\n${proc.output()}`);
    return readyLine.test(proc.output()) ? true : undefined;
  }, 60_000, `hub ${entry} to start`);
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
