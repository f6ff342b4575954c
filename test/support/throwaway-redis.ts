// A Redis server for one test run, started by the global set-up when REDIS_URL is unset:
// nothing written to disk (`--save ""`, no append-only file), killed by the teardown.
import { type ChildProcess, spawn } from 'node:child_process';
import { freePort } from './service-process';

export interface ThrowawayRedis {
  readonly url: string;
  stop(): Promise<void>;
}

const MISSING =
  'The integration tests need Redis: set REDIS_URL to a server the suite may write to, ' +
  'or install redis-server (`apt-get install -y redis-server`) and the suite starts a ' +
  'throw-away one.';

/**
 * `redis-server --port 0` disables TCP rather than picking a port, so a free port is
 * chosen and handed over; if another process takes it first, Redis fails to bind and the
 * next attempt picks another.
 */
export async function startThrowawayRedis(attempts = 5): Promise<ThrowawayRedis> {
  let lastOutput = '';
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = await freePort();
    const started = await startOn(port);
    if ('url' in started) return started;
    lastOutput = started.output;
    if (!/address already in use/i.test(lastOutput)) break;
  }
  throw new Error(`redis-server did not start:\n${lastOutput}`);
}

async function startOn(port: number): Promise<ThrowawayRedis | { output: string }> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<boolean>((resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new Error(MISSING) : error),
    );
    child.once('exit', () => resolve(false));
    for (const stream of [child.stdout, child.stderr]) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        output += chunk;
        if (/Ready to accept connections/.test(output)) resolve(true);
      });
    }
  });
  if (!ready) return { output };
  // Its log is of no further interest, but an unread pipe would stall it once full.
  child.stdout.resume();
  child.stderr.resume();
  return { url: `redis://127.0.0.1:${port}`, stop: () => stop(child, exited) };
}

async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await exited;
}
