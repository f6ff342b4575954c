import { RetryLaterException, TransferWatchdog } from '@app/common';
import { AppConfig } from '@app/config';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type QueryStream from 'pg-query-stream';
import { PassThrough, pipeline, type Readable, type Transform } from 'node:stream';
import type { DataSource } from 'typeorm';
import { streamQuery } from './stream-query';

/** What a request refused for want of a long connection is told to wait. */
export const LONG_CONNECTION_RETRY_AFTER_SECONDS = 5;

/**
 * The share of the pool that requests lasting as long as their client (exports, uploads)
 * may hold at once: `DATABASE_LONG_REQUEST_CONNECTIONS`, never more than the pool size less
 * one, so short requests always find a connection however many slow readers there are. A
 * long request waits for a slot up to `DATABASE_CONNECT_TIMEOUT_MS` (as it would for the
 * pool), then is refused with 503 `database-busy` and `Retry-After`.
 */
@Injectable()
export class LongConnections {
  readonly size: number;
  private readonly logger = new Logger('LongConnections');
  private used = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    const { poolSize, longRequestConnections } = config.database;
    this.size = Math.max(1, Math.min(longRequestConnections, poolSize - 1));
  }

  /** Slots held now (for tests and metrics). */
  get inUse(): number {
    return this.used;
  }

  /** Takes a slot (waiting for one); the returned function gives it back (once). */
  async acquire(): Promise<() => void> {
    if (this.used < this.size) {
      this.used += 1;
    } else {
      await this.waitForSlot();
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next === undefined) this.used -= 1;
      else next();
    };
  }

  /**
   * {@link streamQuery} on a long slot, given back when the stream ends however it ends. A
   * reader that takes the bytes too slowly, or for too long (`LONG_REQUEST_*`), has the
   * stream destroyed: its response is cut off and the cursor's connection closed.
   */
  async streamQuery(query: QueryStream, encode: Transform): Promise<Readable> {
    const release = await this.acquire();
    encode.once('close', release);
    try {
      // The cursor's statement lasts as long as its reader: the long-request deadline bounds it.
      const rows = await streamQuery(
        this.dataSource,
        query,
        encode,
        this.config.longRequests.maxDurationMs,
      );
      return this.paced(rows);
    } catch (error) {
      release();
      throw error;
    }
  }

  /** `source` through a meter that counts what its reader takes, under a TransferWatchdog. */
  private paced(source: Readable): Readable {
    let pushed = 0;
    const meter = new PassThrough({
      transform(chunk: Buffer | string, _encoding, callback) {
        pushed += Buffer.byteLength(chunk);
        callback(null, chunk);
      },
    });
    const watchdog = new TransferWatchdog(
      this.config.longRequests,
      {
        bytes: () => pushed - meter.readableLength,
        // A full buffer on the reader's side: the reader, not the query, holds it up.
        clientBound: () => meter.readableLength >= meter.readableHighWaterMark,
      },
      (reason) => {
        this.logger.warn(`Export aborted: ${reason}`);
        meter.destroy(new Error(`Export aborted: ${reason}`));
      },
    ).start();
    meter.once('close', () => watchdog.stop());
    // Destroying the meter destroys the source too, which releases the cursor's connection.
    pipeline(source, meter, () => undefined);
    return meter;
  }

  private waitForSlot(): Promise<void> {
    return new Promise((resolve, reject) => {
      // The slot is handed over by release(): `used` stays as it is.
      const handOver = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        const index = this.waiting.indexOf(handOver);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(
          new RetryLaterException(
            503,
            'database-busy',
            `All ${this.size} database connections for exports and uploads are in use; try again shortly`,
            LONG_CONNECTION_RETRY_AFTER_SECONDS,
          ),
        );
      }, this.config.database.connectTimeoutMs);
      this.waiting.push(handOver);
    });
  }
}
