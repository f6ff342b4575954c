import { AppConfig } from '@app/config';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ColumnProfile } from '../profiling/column-profiler';
import type { TypedColumnType, TypedProfiles, TypedProfileStep } from '../profiling/typed-profiles';

/** A window of steps of one upload's profiles; `end` ends the session after them. */
export interface ProfileRequest {
  session: number;
  steps: TypedProfileStep[];
  end?: 'finish' | 'close';
}

export type ProfileReply =
  | { session: 0; kind: 'ready' }
  | { session: number; kind: 'ack' }
  | { session: number; kind: 'profiles'; profiles: Array<[number, ColumnProfile]> }
  | { session: number; kind: 'error'; message: string };

/**
 * Windows sent to the worker and not yet profiled before an upload waits: the worker
 * normally keeps up (it has less to do than the reader), so this only bounds memory when
 * it does not (a window's values take at most about as many bytes as its CSV, 256 KiB).
 */
const WINDOWS_IN_FLIGHT = 8;

/**
 * A worker thread that profiles the typed columns of uploads (./profile-worker): the
 * request thread reads, checks and encodes the CSV, and hands each window's parsed values
 * over (copied typed arrays: see {@link ThreadTypedProfiles}) so the sketches are filled on
 * the other core while it reads on; the profile was about a quarter of the request
 * thread's work (docs/adr/0002-profile-worker-thread.md). One thread for the process,
 * started by the first upload and shared by all; it keeps the process alive only while an
 * upload is using it. If it dies, the uploads using it fail and the next upload starts
 * another. If it stops answering while an upload waits on it for as long as an upload may
 * sit idle (`DATASET_UPLOAD_IDLE_TIMEOUT_MS`; only a bug, an endless loop, could make it),
 * it is treated as dead: terminated, its uploads failed and rolled back, never left hanging
 * with their transactions open.
 */
@Injectable()
export class ProfileThreadService implements OnModuleDestroy {
  private worker: Worker | undefined;
  private readonly sessions = new Map<number, { profiles: ThreadTypedProfiles; worker: Worker }>();
  private lastSession = 0;
  /** The current worker has loaded (its start-up is not a silence) and last answered when. */
  private ready = false;
  private lastAnswer = 0;
  private watchdog: NodeJS.Timeout | undefined;
  private readonly stallMs: number;

  constructor(config: AppConfig) {
    this.stallMs = config.datasets.uploadIdleTimeoutMs;
  }

  /** The typed profiles of one upload, computed on the worker thread. */
  open(): TypedProfiles {
    const worker = this.worker ?? this.startWorker();
    const id = ++this.lastSession;
    const profiles = new ThreadTypedProfiles(
      id,
      (request) => worker.postMessage(request),
      () => this.watch(),
      () => {
        this.sessions.delete(id);
        if (this.sessionsOf(worker).length === 0) worker.unref();
      },
    );
    this.sessions.set(id, { profiles, worker });
    worker.ref();
    return profiles;
  }

  async onModuleDestroy(): Promise<void> {
    clearTimeout(this.watchdog);
    this.watchdog = undefined;
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private startWorker(): Worker {
    const { filename, execArgv } = workerScript();
    const worker = new Worker(filename, { execArgv });
    worker.on('message', (reply: ProfileReply) => {
      if (this.worker === worker) {
        this.lastAnswer = Date.now();
        this.ready = true;
      }
      if (reply.kind !== 'ready') this.sessions.get(reply.session)?.profiles.receive(reply);
    });
    // What the thread threw, uncaught: usually an Error, but JavaScript can throw anything.
    worker.on('error', (error: unknown) =>
      this.failAll(worker, error instanceof Error ? error : new Error(String(error))),
    );
    worker.on('exit', (code) =>
      this.failAll(worker, new Error(`the profile worker thread exited with code ${code}`)),
    );
    this.worker = worker;
    this.ready = false;
    return worker;
  }

  /** An upload started waiting for the thread: checks, in time, that the thread answers. */
  private watch(): void {
    if (this.watchdog !== undefined) return;
    this.watchdog = setTimeout(() => this.checkAnswering(), this.stallMs).unref();
  }

  private checkAnswering(): void {
    this.watchdog = undefined;
    const worker = this.worker;
    if (worker === undefined || !this.sessionsOf(worker).some((session) => session.waiting)) {
      return;
    }
    const silentMs = this.ready ? Date.now() - this.lastAnswer : 0;
    if (silentMs < this.stallMs) {
      this.watchdog = setTimeout(() => this.checkAnswering(), this.stallMs - silentMs).unref();
      return;
    }
    // Timers run before the messages already queued: a request thread that was itself
    // blocked this long must read them first (setImmediate runs after them).
    setImmediate(() => {
      if (this.worker !== worker || Date.now() - this.lastAnswer < this.stallMs) {
        if (this.sessionsOf(worker).some((session) => session.waiting)) this.watch();
        return;
      }
      const silent = Date.now() - this.lastAnswer;
      this.failAll(
        worker,
        new Error(`the profile worker thread answered nothing for ${silent} ms`),
      );
      void worker.terminate();
    });
  }

  private sessionsOf(worker: Worker): ThreadTypedProfiles[] {
    return [...this.sessions.values()]
      .filter((session) => session.worker === worker)
      .map((session) => session.profiles);
  }

  private failAll(worker: Worker, error: Error): void {
    if (this.worker === worker) this.worker = undefined;
    for (const session of this.sessionsOf(worker)) session.fail(error);
  }
}

/**
 * The worker's script. Built, it is `profile-worker.js` beside the app's `main.js`
 * (webpack.config.js emits it there; webpack leaves `__dirname` as Node sets it), and the
 * thread inherits the process's Node options: passing them on explicitly would fail on
 * V8 flags such as `--max-old-space-size`, which a worker refuses in its `execArgv`. Run
 * from the TypeScript sources (Jest, ts-node scripts), it is the `.ts` file, which ts-node
 * compiles as the thread loads it.
 */
function workerScript(): { filename: string; execArgv?: string[] } {
  if (__filename.endsWith('.ts')) {
    return {
      filename: join(__dirname, 'profile-worker.ts'),
      execArgv: ['--require', 'ts-node/register/transpile-only'],
    };
  }
  return { filename: join(__dirname, 'profile-worker.js') };
}

interface Pending<T> {
  resolve: (value: T) => void;
  reject: (error: Error) => void;
}

/**
 * One upload's {@link TypedProfiles} on the worker thread: steps are sent a window at a
 * time. The values are copied into the message, not transferred: transferring detaches
 * the sender's ArrayBuffer, and the first detached buffer of a process invalidates V8's
 * "no ArrayBuffer was ever detached" protector for good. That threw away every optimised
 * function touching a typed array (tokenizer, type check, encoder, Node's own fs and
 * async hooks; seen with --trace-deopt) in the middle of a process's first upload, and
 * all code compiled later checks for detached buffers on each access. Copying ~40 KiB
 * per column and window costs microseconds.
 */
class ThreadTypedProfiles implements TypedProfiles {
  private steps: TypedProfileStep[] = [];
  private unacknowledged = 0;
  private room: Pending<void> | undefined;
  private finished: Pending<Map<number, ColumnProfile>> | undefined;
  private failure: Error | undefined;
  /** The worker holds state for this session (until it answers `finish` or is sent `close`). */
  private remote = true;
  private ended = false;

  constructor(
    private readonly id: number,
    private readonly send: (request: ProfileRequest) => void,
    private readonly onWait: () => void,
    private readonly onEnd: () => void,
  ) {}

  start(column: number, name: string, type: TypedColumnType, missing: number): void {
    this.steps.push({ kind: 'start', column, name, type, missing });
  }

  widen(column: number, type: TypedColumnType): void {
    this.steps.push({ kind: 'widen', column, type });
  }

  discard(column: number): void {
    this.steps.push({ kind: 'discard', column });
  }

  add(column: number, values: Float64Array): void {
    this.steps.push({ kind: 'add', column, values });
  }

  flush(): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    this.post();
    this.unacknowledged += 1;
    if (this.unacknowledged <= WINDOWS_IN_FLIGHT) return Promise.resolve();
    this.onWait();
    return new Promise((resolve, reject) => (this.room = { resolve, reject }));
  }

  finish(): Promise<Map<number, ColumnProfile>> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    this.onWait();
    return new Promise((resolve, reject) => {
      this.finished = { resolve, reject };
      this.post('finish');
    });
  }

  close(): void {
    if (this.remote) this.post('close');
    this.end();
  }

  /** Waiting for the thread: for room for another window, or for the profiles. */
  get waiting(): boolean {
    return this.room !== undefined || this.finished !== undefined;
  }

  receive(reply: Exclude<ProfileReply, { kind: 'ready' }>): void {
    switch (reply.kind) {
      case 'ack':
        this.unacknowledged -= 1;
        if (this.room !== undefined && this.unacknowledged <= WINDOWS_IN_FLIGHT) {
          const room = this.room;
          this.room = undefined;
          room.resolve();
        }
        return;
      case 'profiles':
        this.remote = false;
        this.end();
        this.finished?.resolve(new Map(reply.profiles));
        return;
      case 'error':
        this.fail(new Error(`profiling failed on the worker thread: ${reply.message}`));
        return;
    }
  }

  fail(error: Error): void {
    this.failure = error;
    this.room?.reject(error);
    this.finished?.reject(error);
    this.room = undefined;
    this.finished = undefined;
    this.end();
  }

  private post(end?: ProfileRequest['end']): void {
    if (end !== undefined) this.remote = false;
    const request: ProfileRequest = { session: this.id, steps: this.steps };
    if (end !== undefined) request.end = end;
    this.send(request);
    this.steps = [];
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd();
  }
}
