import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * A port nothing listens on at this moment. The reservation is released before the port is
 * returned, so another process may take it first: only for a server that must be told its
 * port (PostgreSQL). A Sightline process is started on port 0 instead and reports the port it
 * bound ({@link ServiceProcess.listeningPort}).
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A built Sightline process (`dist/apps/<app>/main.js`) run as a newcomer or an orchestrator would. */
export class ServiceProcess {
  readonly output: string[] = [];
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  /** `nodeArgs`: Node options before the script, as an operator might add (`--max-old-space-size`). */
  constructor(
    app: 'api' | 'worker',
    env: Record<string, string>,
    cwd: string,
    nodeArgs: string[] = [],
  ) {
    const entry = join(ROOT, 'dist', 'apps', app, 'main.js');
    if (!existsSync(entry))
      throw new Error(`${entry} is missing: run \`npm run build\` first (npm test does)`);
    // A clean environment: nothing from the developer's shell (DATABASE_URL, .env) leaks in.
    this.child = spawn(process.execPath, [...nodeArgs, entry], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) =>
        this.output.push(...chunk.split('\n').filter((line) => line !== '')),
      );
    }
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  /**
   * The HTTP port the process bound, from the line it logs once listening (the api's
   * `listening on <url>`, the worker's `health probes on <url>/health`): start it with `PORT`
   * or `WORKER_HEALTH_PORT` 0 and no other process can take the port in between.
   */
  async listeningPort(timeoutMs: number): Promise<number> {
    const port = await this.waitFor(
      /(?:listening|health probes) on https?:\/\/(?:\[[^\]]*\]|[^:/\s"]+):(\d+)/,
      timeoutMs,
    );
    return Number(port);
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Waits for an output line matching `pattern`; returns its first capture group (or the line). */
  async waitFor(pattern: RegExp, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const line of this.output) {
        const match = pattern.exec(line);
        if (match !== null) return match[1] ?? line;
      }
      if (Date.now() > deadline)
        throw new Error(
          `no line matching ${pattern} within ${timeoutMs} ms:\n${this.output.join('\n')}`,
        );
      if (this.child.exitCode !== null)
        throw new Error(`process exited (${this.child.exitCode}):\n${this.output.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Kills the process if it is still running (test clean-up). */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}

/** Polls `url` until it answers `status`; returns the milliseconds it took. */
export async function waitForStatus(
  url: string,
  status: number,
  timeoutMs: number,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    const answered = await fetch(url).then(
      (response) => response.status,
      () => 0,
    );
    if (answered === status) return Date.now() - started;
    if (Date.now() - started > timeoutMs)
      throw new Error(`${url} still answered ${answered} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
