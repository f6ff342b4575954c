import type { OrganizationId } from '@app/tenancy';
import { ServiceLifecycle } from '@app/common';
import type { DatabaseNotifications, NotificationHandler } from '@app/database';
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { AnalysisEventEntity, AnalysisEventType } from '../entities/analysis-event.entity';
import type { AnalysisStatus } from '../entities/analysis.entity';
import {
  ANALYSIS_EVENTS_CHANNEL,
  type AnalysisEventsRepository,
} from '../repositories/analysis-events.repository';
import { analysisConfig, ORG_A, ORG_B } from '../testing/fake-analyses';
import { AnalysisStreamService, KEEP_ALIVE_MS } from './analysis-stream.service';

const ANALYSIS = 'aaaaaaaa-0000-4000-8000-000000000001';
const OTHER = 'aaaaaaaa-0000-4000-8000-000000000002';

/**
 * The event log in memory: ids shared by every analysis, as the table's are; each read
 * within one organization, and recorded with it. Appending does not notify (the test does,
 * or leaves the notification lost).
 */
class FakeEventLog {
  readonly rows: Array<AnalysisEventEntity & { organizationId: OrganizationId }> = [];
  readonly reads: Array<{ method: string; organizationId: OrganizationId }> = [];

  append(organizationId: OrganizationId, analysisId: string, type: AnalysisEventType): void {
    const id = String(this.rows.length + 1);
    const createdAt = new Date(Date.UTC(2026, 0, 1, 0, 0, this.rows.length));
    this.rows.push({ id, organizationId, analysisId, type, data: { n: Number(id) }, createdAt });
  }

  lastId(organizationId: OrganizationId, analysisId: string): Promise<string> {
    this.reads.push({ method: 'lastId', organizationId });
    return Promise.resolve(this.of(organizationId, analysisId).at(-1)?.id ?? '0');
  }

  after(organizationId: OrganizationId, analysisId: string, afterId: string) {
    this.reads.push({ method: 'after', organizationId });
    const rows = this.of(organizationId, analysisId).filter(
      (row) => BigInt(row.id) > BigInt(afterId),
    );
    return Promise.resolve(rows.map(({ organizationId: _organizationId, ...event }) => event));
  }

  asRepository(): AnalysisEventsRepository {
    return this as unknown as AnalysisEventsRepository;
  }

  private of(organizationId: OrganizationId, analysisId: string) {
    return this.rows.filter(
      (row) => row.organizationId === organizationId && row.analysisId === analysisId,
    );
  }
}

/** DatabaseNotifications without a database: the test sends what `LISTEN` would hear. */
class FakeNotifications {
  readonly handlers = new Map<string, Set<NotificationHandler>>();

  subscribe(channel: string, handler: NotificationHandler): () => void {
    const set = this.handlers.get(channel) ?? new Set();
    this.handlers.set(channel, set.add(handler));
    return () => set.delete(handler);
  }

  notify(payload: string | undefined): void {
    for (const handler of this.handlers.get(ANALYSIS_EVENTS_CHANNEL) ?? []) handler(payload);
  }

  asService(): DatabaseNotifications {
    return this as unknown as DatabaseNotifications;
  }
}

/** The response a stream writes to: what it wrote, and whether it ended it. */
class FakeResponse extends EventEmitter {
  head: { status: number; headers: Record<string, unknown> } | undefined;
  text = '';
  ended = false;

  writeHead(status: number, headers: Record<string, unknown>): this {
    this.head = { status, headers };
    return this;
  }

  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }

  end(): this {
    this.ended = true;
    return this;
  }

  /** The `[id, event]` of each event written, in order. */
  events(): Array<[string, string]> {
    return [...this.text.matchAll(/^id: (\d+)\nevent: (\S+)\n/gm)].map(([, id, event]) => [
      id ?? '',
      event ?? '',
    ]);
  }

  asResponse(): ServerResponse {
    return this as unknown as ServerResponse;
  }
}

/** Lets the stream run what is ready (promise callbacks and due timers). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

async function until(check: () => boolean, timeoutMs = 2_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await settle();
  return check();
}

describe('AnalysisStreamService', () => {
  let log: FakeEventLog;
  let notifications: FakeNotifications;
  let lifecycle: ServiceLifecycle;
  let response: FakeResponse;

  /** A stream service polling every `pollMs` (the longest allowed unless told otherwise). */
  const service = (pollMs = 600_000) =>
    new AnalysisStreamService(
      log.asRepository(),
      lifecycle,
      notifications.asService(),
      analysisConfig({ ANALYSIS_EVENTS_POLL_MS: String(pollMs) }),
    );

  const open = (
    streams: AnalysisStreamService,
    status: AnalysisStatus,
    lastEventId = '0',
    organizationId = ORG_A,
  ) =>
    streams.stream(organizationId, ANALYSIS, status, lastEventId, response.asResponse(), 'req-1', {
      'ratelimit-remaining': 9,
    });

  beforeEach(() => {
    log = new FakeEventLog();
    notifications = new FakeNotifications();
    lifecycle = new ServiceLifecycle();
    response = new FakeResponse();
  });

  afterEach(() => jest.useRealTimers());

  it("sends a finished analysis' log as Server-Sent Events, then ends the response", async () => {
    log.append(ORG_A, ANALYSIS, 'status');
    log.append(ORG_A, OTHER, 'status');
    log.append(ORG_A, ANALYSIS, 'agent.started');
    log.append(ORG_A, ANALYSIS, 'completed');

    await open(service(), 'succeeded');

    expect(response.head).toEqual({
      status: 200,
      headers: {
        'ratelimit-remaining': 9,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': 'req-1',
      },
    });
    expect(response.text.startsWith('retry: 2000\n\n')).toBe(true);
    expect(response.text).toContain(
      `id: 1\nevent: status\ndata: {"n":1,"at":"2026-01-01T00:00:00.000Z"}\n\n`,
    );
    expect(response.events()).toEqual([
      ['1', 'status'],
      ['3', 'agent.started'],
      ['4', 'completed'],
    ]);
    expect(response.ended).toBe(true);
  });

  it('resumes after Last-Event-ID, and from the end when the id is past it', async () => {
    log.append(ORG_A, ANALYSIS, 'status');
    log.append(ORG_A, ANALYSIS, 'agent.started');
    log.append(ORG_A, ANALYSIS, 'completed');
    await open(service(), 'succeeded', '1');
    expect(response.events()).toEqual([
      ['2', 'agent.started'],
      ['3', 'completed'],
    ]);

    // An id of another analysis' log, beyond this one's end: its next events still come.
    response = new FakeResponse();
    const streams = service();
    const running = open(streams, 'running', '1000');
    await settle();
    log.append(ORG_A, ANALYSIS, 'failed');
    notifications.notify(ANALYSIS);
    await running;
    expect(response.events()).toEqual([['4', 'failed']]);
  });

  it("reads only the caller's organization's log", async () => {
    log.append(ORG_B, ANALYSIS, 'status');
    log.append(ORG_B, ANALYSIS, 'completed');
    await open(service(), 'succeeded', '0', ORG_A);
    expect(response.events()).toEqual([]);
    expect(response.ended).toBe(true);
    expect(new Set(log.reads.map((read) => read.organizationId))).toEqual(new Set([ORG_A]));
  });

  it('sends new events of a running analysis as they are notified, until the final one', async () => {
    log.append(ORG_A, ANALYSIS, 'status');
    const done = open(service(), 'running');
    expect(await until(() => response.events().length === 1)).toBe(true);

    log.append(ORG_A, ANALYSIS, 'agent.started');
    notifications.notify(ANALYSIS);
    expect(await until(() => response.events().length === 2)).toBe(true);

    log.append(ORG_A, ANALYSIS, 'completed');
    notifications.notify(ANALYSIS);
    await done;
    expect(response.events().map(([, event]) => event)).toEqual([
      'status',
      'agent.started',
      'completed',
    ]);
    expect(response.ended).toBe(true);
  });

  it("does not read again for another analysis' notification, but does for a reconnected listener", async () => {
    const done = open(service(), 'running');
    await settle();
    const reads = () => log.reads.filter((read) => read.method === 'after').length;
    const before = reads();

    notifications.notify(OTHER);
    await settle();
    expect(reads()).toBe(before);

    // No payload: the listener reconnected and may have missed some; every stream looks.
    notifications.notify(undefined);
    expect(await until(() => reads() === before + 1)).toBe(true);

    log.append(ORG_A, ANALYSIS, 'completed');
    notifications.notify(ANALYSIS);
    await done;
  });

  it('finds an event whose notification was lost at the next poll', async () => {
    const done = open(service(100), 'running');
    await settle();
    log.append(ORG_A, ANALYSIS, 'completed');
    await done;
    expect(response.events()).toEqual([['1', 'completed']]);
  });

  it(`writes a keep-alive comment after ${KEEP_ALIVE_MS} ms of quiet`, async () => {
    jest.useFakeTimers();
    const done = open(service(), 'running');
    await jest.advanceTimersByTimeAsync(KEEP_ALIVE_MS - 1);
    expect(response.text).not.toContain(': keep-alive');
    await jest.advanceTimersByTimeAsync(1);
    expect(response.text.match(/: keep-alive\n\n/g)).toHaveLength(1);

    log.append(ORG_A, ANALYSIS, 'completed');
    notifications.notify(ANALYSIS);
    await done;
  });

  it('ends a stream after 15 minutes, though the analysis never finishes', async () => {
    jest.useFakeTimers();
    const done = open(service(), 'running');
    await jest.advanceTimersByTimeAsync(15 * 60_000 - 1);
    expect(response.ended).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await done;
    expect(response.ended).toBe(true);
  });

  it('stops when the client leaves, without ending the response or reading again', async () => {
    const done = open(service(), 'running');
    await settle();
    response.emit('close');
    await done;
    expect(response.ended).toBe(false);
    const reads = log.reads.length;
    log.append(ORG_A, ANALYSIS, 'completed');
    notifications.notify(ANALYSIS);
    await settle();
    expect(log.reads.length).toBe(reads);
    expect(response.events()).toEqual([]);
  });

  it('ends the response when the process shuts down', async () => {
    const done = open(service(), 'running');
    await settle();
    lifecycle.markShuttingDown();
    notifications.notify(undefined);
    await done;
    expect(response.ended).toBe(true);
  });

  it('fails, and still ends the response, when the log cannot be read', async () => {
    jest.spyOn(log, 'after').mockRejectedValue(new Error('the database went away'));
    await expect(open(service(), 'running')).rejects.toThrow('the database went away');
    expect(response.ended).toBe(true);
  });
});
