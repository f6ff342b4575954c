import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ConnectionOptions } from 'node:tls';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';

/**
 * Called with a notification's payload, or with `undefined` after the listening connection
 * was lost and restored: notifications sent meanwhile are gone, so look again.
 */
export type NotificationHandler = (payload: string | undefined) => void;

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 30_000;

/**
 * PostgreSQL `LISTEN` for the whole process: one dedicated connection (outside the pool,
 * opened on the first subscription) whose notifications fan out to every subscriber of
 * their channel. A lost connection is reopened with exponential backoff, and subscribers
 * are then told to look again. `NOTIFY` is sent by whoever writes (in the writing
 * transaction, so a notification means the row is visible).
 */
@Injectable()
export class DatabaseNotifications implements OnApplicationShutdown {
  private readonly logger = new Logger('DatabaseNotifications');
  private readonly handlers = new Map<string, Set<NotificationHandler>>();
  private client: Client | undefined;
  private connecting: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private closed = false;
  /** Clients already given up on ('error' and 'end' both report one loss). */
  private readonly dead = new WeakSet<Client>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Calls `handler` for each notification on `channel` until the returned function is called. */
  subscribe(channel: string, handler: NotificationHandler): () => void {
    let set = this.handlers.get(channel);
    if (set === undefined) {
      set = new Set();
      this.handlers.set(channel, set);
      if (this.client !== undefined) void this.listen(this.client, channel);
    }
    set.add(handler);
    this.ensureConnected();
    return () => {
      set.delete(handler);
    };
  }

  /** Resolves once the listening connection is up (for tests and start-up checks). */
  async ready(): Promise<void> {
    this.ensureConnected();
    await this.connecting;
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private ensureConnected(): void {
    if (this.closed || this.client !== undefined || this.connecting !== undefined) return;
    if (this.retryTimer !== undefined) return;
    this.connecting = this.connect().finally(() => (this.connecting = undefined));
  }

  private async connect(): Promise<void> {
    const options = this.dataSource.options as PostgresDataSourceOptions;
    const extra = (options.extra ?? {}) as {
      application_name?: string;
      connectionTimeoutMillis?: number;
    };
    const client = new Client({
      connectionString: options.url,
      // The pool's own TLS settings (buildDataSourceOptions), typed by TypeORM as server options.
      ssl: options.ssl as ConnectionOptions | boolean | undefined,
      application_name: `${extra.application_name ?? 'sightline'}-listen`,
      connectionTimeoutMillis: extra.connectionTimeoutMillis,
    });
    client.on('notification', (message) => this.dispatch(message.channel, message.payload));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    try {
      await client.connect();
      for (const channel of this.handlers.keys()) await this.listen(client, channel);
    } catch (error) {
      this.lost(client, error as Error);
      return;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    const recovered = this.failures > 0;
    this.failures = 0;
    this.client = client;
    // Notifications sent while nobody listened are lost: every subscriber looks again.
    if (recovered) for (const channel of this.handlers.keys()) this.dispatch(channel, undefined);
  }

  private async listen(client: Client, channel: string): Promise<void> {
    await client.query(`LISTEN "${channel.replace(/"/g, '""')}"`);
  }

  private dispatch(channel: string, payload: string | undefined): void {
    for (const handler of this.handlers.get(channel) ?? []) handler(payload);
  }

  private lost(client: Client, error: Error): void {
    if (this.dead.has(client)) return;
    this.dead.add(client);
    if (this.client === client) this.client = undefined;
    client.removeAllListeners('end');
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    if (this.closed || this.retryTimer !== undefined) return;
    const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** this.failures);
    this.failures += 1;
    this.logger.warn(`LISTEN connection lost (${error.message}); reconnecting in ${delay} ms`);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.ensureConnected();
    }, delay);
    this.retryTimer.unref();
  }
}
