/** The pace a long transfer (an export read, an upload sent) must keep. */
export interface TransferLimits {
  /** Least average rate while the transfer waits on its client, over `rateWindowMs`. */
  minBytesPerSecond: number;
  rateWindowMs: number;
  /** Longest the whole transfer may take, however fast. */
  maxDurationMs: number;
}

export interface TransferProbe {
  /** Bytes the client has taken (export) or given (upload) so far. */
  bytes(): number;
  /** True while the transfer is held up by its client (not by the database). */
  clientBound(): boolean;
}

/**
 * Aborts a transfer whose client holds it up: one that moves fewer than
 * `minBytesPerSecond` on average over `rateWindowMs` of time spent waiting on the client
 * (time the server itself was busy does not count), or that outlasts `maxDurationMs`.
 * Sampled a few times per window; `abort` is called once, with the reason.
 */
export class TransferWatchdog {
  private boundMs = 0;
  private boundBytes = 0;
  private lastBytes = 0;
  private lastSample = Date.now();
  private sampler: NodeJS.Timeout | undefined;
  private deadline: NodeJS.Timeout | undefined;
  private done = false;

  constructor(
    private readonly limits: TransferLimits,
    private readonly probe: TransferProbe,
    private readonly abort: (reason: string) => void,
  ) {}

  start(): this {
    const every = Math.max(10, Math.min(1000, this.limits.rateWindowMs / 4));
    this.sampler = setInterval(() => this.sample(), every).unref();
    this.deadline = setTimeout(
      () =>
        this.fire(`it took longer than ${this.limits.maxDurationMs / 1000} s, the most allowed`),
      this.limits.maxDurationMs,
    ).unref();
    return this;
  }

  stop(): void {
    this.done = true;
    clearInterval(this.sampler);
    clearTimeout(this.deadline);
  }

  private sample(): void {
    const now = Date.now();
    const bytes = this.probe.bytes();
    if (this.probe.clientBound()) {
      this.boundMs += now - this.lastSample;
      this.boundBytes += bytes - this.lastBytes;
    }
    this.lastSample = now;
    this.lastBytes = bytes;
    if (this.boundMs < this.limits.rateWindowMs) return;
    const rate = (this.boundBytes * 1000) / this.boundMs;
    if (rate < this.limits.minBytesPerSecond) {
      this.fire(
        `its client moved ${Math.round(rate)} bytes/s over ${Math.round(this.boundMs / 1000)} s, ` +
          `below the ${this.limits.minBytesPerSecond} bytes/s required`,
      );
      return;
    }
    this.boundMs = 0;
    this.boundBytes = 0;
  }

  private fire(reason: string): void {
    if (this.done) return;
    this.stop();
    this.abort(reason);
  }
}
