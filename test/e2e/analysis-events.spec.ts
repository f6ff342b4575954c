import { type OrganizationId } from '@app/tenancy';
import { AnalysisEventsRepository } from '../../libs/analysis/src/repositories/analysis-events.repository';
import { Client } from 'pg';
import { call, Factory } from '../support/factory';
import { startTestApp, type TestApp } from '../support/test-app';

interface SseEvent {
  id: string;
  event: string;
  at: number;
}

/** An open event stream: its events as they arrive, and whether the server ended it. */
async function openStream(app: TestApp, key: string, analysisId: string, lastEventId?: string) {
  const controller = new AbortController();
  const response = await fetch(`${app.baseUrl}/v1/analyses/${analysisId}/events`, {
    headers: {
      'x-api-key': key,
      ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }),
    },
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  const events: SseEvent[] = [];
  let text = '';
  const ended = (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        text += decoder.decode(chunk, { stream: true });
        const blocks = text.split('\n\n');
        text = blocks.pop() ?? '';
        for (const block of blocks.filter((b) => b.startsWith('id: '))) {
          const field = (name: string) =>
            block
              .split('\n')
              .find((line) => line.startsWith(`${name}: `))
              ?.slice(name.length + 2) ?? '';
          events.push({ id: field('id'), event: field('event'), at: Date.now() });
        }
      }
      return true;
    } catch {
      return false;
    }
  })();
  return { events, ended, close: () => controller.abort() };
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  return check();
}

describe('analysis event streams', () => {
  let app: TestApp;
  let key: string;
  let organizationId: OrganizationId;

  beforeAll(async () => {
    // No worker: analyses stay queued, and the test appends their events itself. The safety
    // poll is a minute, so an event that arrives sooner was announced, not polled for.
    app = await startTestApp({ env: { WORKERS: 'off', ANALYSIS_EVENTS_POLL_MS: '60000' } });
    ({ adminKey: key, organizationId } = await new Factory(app.app).newOrganization());
  });
  afterAll(async () => {
    await app.close();
  });

  async function queuedAnalysis(): Promise<string> {
    const created = await call(app.baseUrl, 'POST', '/v1/analyses', {
      headers: { 'x-api-key': key },
      body: { text: 'The staff were wonderful.' },
    });
    expect(created.status).toBe(202);
    return String(created.body.id);
  }

  it('delivers an appended event at once, without reading the log in between', async () => {
    const analysisId = await queuedAnalysis();
    const events = app.app.get(AnalysisEventsRepository);
    const reads = jest.spyOn(events, 'after');
    const stream = await openStream(app, key, analysisId);
    try {
      expect(await until(() => stream.events.length === 1, 5000)).toBe(true);
      // An idle stream does not query: the old stream read the log every 200 ms.
      const readsBefore = reads.mock.calls.length;
      await new Promise((r) => setTimeout(r, 1500));
      expect(reads.mock.calls.length - readsBefore).toBe(0);
      const appended = Date.now();
      await events.append(organizationId, analysisId, 'status', { status: 'running' });
      expect(await until(() => stream.events.length === 2, 5000)).toBe(true);
      expect(stream.events[1]).toMatchObject({ event: 'status' });
      expect((stream.events[1]?.at ?? Infinity) - appended).toBeLessThan(1000);
    } finally {
      reads.mockRestore();
      stream.close();
    }
  });

  it('ends a finished analysis stream at once, even with a Last-Event-ID past its log', async () => {
    const analysisId = await queuedAnalysis();
    const cancelled = await call(app.baseUrl, 'DELETE', `/v1/analyses/${analysisId}`, {
      headers: { 'x-api-key': key },
    });
    expect(cancelled.status).toBe(200);
    const started = Date.now();
    const beyond = await openStream(app, key, analysisId, '999999999999999');
    const endedInTime = await Promise.race([
      beyond.ended,
      new Promise<false>((r) => setTimeout(() => r(false), 3000)),
    ]);
    beyond.close();
    expect(endedInTime).toBe(true);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(beyond.events).toEqual([]);
    // From the start, the same stream replays the whole log and ends with the final event.
    const whole = await openStream(app, key, analysisId);
    expect(await whole.ended).toBe(true);
    expect(whole.events.map((e) => e.event)).toEqual(['status', 'failed']);
  });

  it('clamps a Last-Event-ID past the log of a running analysis, missing none of its events', async () => {
    const analysisId = await queuedAnalysis();
    const stream = await openStream(app, key, analysisId, '999999999999999');
    try {
      await new Promise((r) => setTimeout(r, 300));
      await app.app
        .get(AnalysisEventsRepository)
        .append(organizationId, analysisId, 'status', { status: 'running' });
      expect(await until(() => stream.events.length === 1, 3000)).toBe(true);
    } finally {
      stream.close();
    }
  });

  it('reconnects its LISTEN connection when the database drops it, and misses nothing', async () => {
    const analysisId = await queuedAnalysis();
    const stream = await openStream(app, key, analysisId);
    const db = new Client({ connectionString: app.database.url });
    await db.connect();
    try {
      expect(await until(() => stream.events.length === 1, 5000)).toBe(true);
      const killed = await db.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND application_name LIKE '%-listen'`,
      );
      expect(killed.rowCount).toBe(1);
      // Appended while nobody listens: found when the listener is back (first retry 250 ms).
      await app.app
        .get(AnalysisEventsRepository)
        .append(organizationId, analysisId, 'status', { status: 'running' });
      expect(await until(() => stream.events.length === 2, 5000)).toBe(true);
      await app.app
        .get(AnalysisEventsRepository)
        .append(organizationId, analysisId, 'agent.started', { agent: 'text' });
      expect(await until(() => stream.events.length === 3, 5000)).toBe(true);
    } finally {
      await db.end();
      stream.close();
    }
  });
});
