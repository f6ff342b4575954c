import { AnalysisRunJob } from '@app/analysis';
import { MetricsService } from '@app/metrics';
import type { Client } from 'pg';
import { type AnalysesTest, startAnalysesTest } from '../support/analyses';
import { call, type TestOrganization } from '../support/factory';
import { openApiSchema } from '../support/openapi-schema';
import type { TestApp } from '../support/test-app';

type Json = Record<string, unknown>;

/**
 * Analyses run to the end: results, metrics, retries, events, replays. What a request may
 * ask, and what is refused: analyses-requests.spec.ts.
 */
describe('analyses over HTTP (queue, inline worker, builtin model)', () => {
  let analyses: AnalysesTest;
  let app: TestApp;
  let org: TestOrganization;
  let other: TestOrganization;
  let analyst: string;
  let viewer: string;
  let datasetId: string;
  let db: Client;
  let post: AnalysesTest['post'];
  let get: AnalysesTest['get'];

  beforeAll(async () => {
    analyses = await startAnalysesTest();
    ({ app, org, other, analyst, viewer, datasetId, db, post, get } = analyses);
  });
  afterAll(() => analyses.close());

  it('analyses a dataset and answers the finished analysis with ?wait', async () => {
    const response = await post({ datasetId }, '?wait=30');
    expect(response.status).toBe(200);
    const analysis = response.body;
    expect(analysis).toMatchObject({
      status: 'succeeded',
      input: { kind: 'dataset', datasetId },
      model: { provider: 'builtin', name: 'sightline-builtin-planner-1', sdkVersion: '0.20.0' },
      error: null,
    });
    const agents = analysis.agents as Array<{ name: string; status: string }>;
    expect(agents.map((a) => [a.name, a.status])).toEqual([
      ['profile', 'succeeded'],
      ['trends', 'succeeded'],
      ['anomalies', 'succeeded'],
      ['segments', 'succeeded'],
      ['text', 'succeeded'],
      ['summary', 'succeeded'],
    ]);
    const result = analysis.result as Json;
    expect(result.trends).toEqual([
      expect.objectContaining({ column: 'sales', direction: 'increasing' }),
    ]);
    expect(result.anomalies).toEqual([
      expect.objectContaining({ column: 'sales', row: 41, kind: 'spike' }),
    ]);
    expect(typeof result.summary).toBe('string');
    expect(await get(`/v1/analyses/${String(analysis.id)}`)).toMatchObject({
      status: 200,
      body: { id: analysis.id, status: 'succeeded' },
    });
    // What the OpenAPI document promises clients is what they get.
    const matchesDocument = openApiSchema('AnalysisDto');
    expect(matchesDocument(analysis) ? [] : matchesDocument.errors).toEqual([]);
  });

  it('records its numbers as metrics with the agent and tool call, exactly one set after a retry', async () => {
    const done = await post({ datasetId }, '?wait=30');
    const analysisId = String(done.body.id);
    const recorded = (done.body.result as { metrics: string[] }).metrics;
    const listed = await get(`/v1/metrics?analysisId=${analysisId}&limit=500`);
    type Metric = {
      id: string;
      name: string;
      value: number;
      source: string;
      agent: string;
      toolCallId: string;
      dimensions: Json;
    };
    const metrics = listed.body.data as Metric[];
    expect(recorded.length).toBeGreaterThan(0);
    expect(metrics.map((m) => m.id).sort()).toEqual([...recorded].sort());
    expect(metrics.every((m) => m.source === 'agent' && m.toolCallId !== null)).toBe(true);
    const slope = metrics.find((m) => m.name === 'analysis.trend.slope_per_day');
    expect(slope).toMatchObject({
      agent: 'trends',
      dimensions: { column: 'sales', direction: 'increasing' },
    });
    const trend = (done.body.result as { trends: Array<{ slopePerDay: number }> }).trends[0];
    expect(slope?.value).toBe(trend?.slopePerDay);
    const anomalies = (done.body.result as { anomalies: Json[] }).anomalies;
    expect(metrics.find((m) => m.name === 'analysis.anomalies')).toMatchObject({
      agent: 'anomalies',
      value: anomalies.filter((a) => a.column === 'sales').length,
    });

    // The job runs again (as after a worker died mid-run): its metrics replace the first set.
    await db.query(`UPDATE analyses SET status = 'running' WHERE id = $1`, [analysisId]);
    await app.app.get(AnalysisRunJob).run({ organizationId: org.organizationId, analysisId });
    const again = (await get(`/v1/metrics?analysisId=${analysisId}&limit=500`)).body
      .data as Metric[];
    expect(again).toHaveLength(metrics.length);
    expect(again.map((m) => m.id)).not.toEqual(metrics.map((m) => m.id));
    // The per-name counts stay true: as many as the stored metrics of each name.
    const counts = await db.query<{ name: string; listed: number; stored: number }>(
      `SELECT n.name, n.count::int AS listed,
              (SELECT count(*)::int FROM metrics m
               WHERE m.organization_id = n.organization_id AND m.name = n.name) AS stored
       FROM metric_names n WHERE n.organization_id = $1 AND n.name LIKE 'analysis.%'`,
      [org.organizationId],
    );
    expect(counts.rows.length).toBeGreaterThan(0);
    for (const row of counts.rows) expect(row.listed).toBe(row.stored);
  });

  it('retries through the queue, with backoff, a run whose result hit a transient database error', async () => {
    const metrics = app.app.get(MetricsService);
    const replace = metrics.replaceForAnalysis.bind(metrics);
    const calledAt: number[] = [];
    const spy = jest
      .spyOn(metrics, 'replaceForAnalysis')
      .mockImplementationOnce(() => {
        calledAt.push(Date.now());
        return Promise.reject(
          Object.assign(new Error('could not serialize access'), { code: '40001' }),
        );
      })
      .mockImplementation((...args) => {
        calledAt.push(Date.now());
        return replace(...args);
      });
    try {
      const created = await post({ datasetId, agents: ['trends'] });
      const analysisId = String(created.body.id);
      let analysis: Json = {};
      for (let i = 0; i < 200 && analysis.status !== 'succeeded'; i++) {
        analysis = (await get(`/v1/analyses/${analysisId}`)).body;
        if (analysis.status === 'failed') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(analysis).toMatchObject({ status: 'succeeded', error: null });
      const job = await db.query<{ retry_count: number; state: string }>(
        `SELECT retry_count, state FROM pgboss.job WHERE name = 'analysis' AND data->>'analysisId' = $1`,
        [analysisId],
      );
      expect(job.rows).toEqual([{ retry_count: 1, state: 'completed' }]);
      // The retry waited out the queue's first backoff step (2–4 s), not the next poll.
      expect(calledAt).toHaveLength(2);
      expect((calledAt[1] ?? 0) - (calledAt[0] ?? 0)).toBeGreaterThanOrEqual(1900);
    } finally {
      spy.mockRestore();
    }
  });

  it('answers 202 at once, and the inline worker finishes it', async () => {
    const response = await post({ text: 'The staff were wonderful. The wait was terrible.' });
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ id: expect.any(String), status: 'queued' });
    expect(openApiSchema('AnalysisAcceptedDto')(response.body)).toBe(true);
    // Not finished yet (result null, perhaps no agents): still the documented shape.
    const matchesDocument = openApiSchema('AnalysisDto');
    const early = (await get(`/v1/analyses/${String(response.body.id)}`)).body;
    expect(matchesDocument(early) ? [] : matchesDocument.errors).toEqual([]);
    let analysis: Json = {};
    for (let i = 0; i < 100 && analysis.status !== 'succeeded'; i++) {
      analysis = (await get(`/v1/analyses/${String(response.body.id)}`)).body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(analysis.status).toBe('succeeded');
    expect((analysis.agents as Array<{ name: string }>).map((a) => a.name)).toEqual([
      'text',
      'summary',
    ]);
    expect((analysis.result as Json).sentiment).toMatchObject({ label: expect.any(String) });
    expect(matchesDocument(analysis) ? [] : matchesDocument.errors).toEqual([]);
  });

  /** The events of an SSE stream until it ends: `[id, event, data]` each. */
  async function readEvents(analysisId: string, lastEventId?: string) {
    const response = await fetch(`${app.baseUrl}/v1/analyses/${analysisId}/events`, {
      headers: {
        'x-api-key': viewer,
        ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }),
      },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    // What every response carries reaches a stream too: rate limit, security headers.
    expect(response.headers.get('ratelimit-limit')).toMatch(/^\d+$/);
    expect(response.headers.get('ratelimit-remaining')).toMatch(/^\d+$/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-request-id')).not.toBeNull();
    const text = await response.text();
    return text
      .split('\n\n')
      .filter((block) => block.startsWith('id: '))
      .map((block) => {
        const field = (name: string) =>
          block
            .split('\n')
            .find((line) => line.startsWith(`${name}: `))
            ?.slice(name.length + 2) ?? '';
        return { id: field('id'), event: field('event'), data: JSON.parse(field('data')) as Json };
      });
  }

  it('streams the events of an analysis in order, ending with the final one, resumable', async () => {
    const started = await post({ datasetId });
    const events = await readEvents(String(started.body.id));
    const names = events.map((e) =>
      e.event.startsWith('agent.')
        ? `${e.event} ${String(e.data.agent)}`
        : `${e.event} ${String(e.data.status)}`,
    );
    expect(names.slice(0, 2)).toEqual(['status queued', 'status running']);
    expect(names.at(-1)).toBe('completed succeeded');
    for (const agent of ['profile', 'trends', 'anomalies', 'segments', 'text', 'summary']) {
      const start = names.indexOf(`agent.started ${agent}`);
      const end = names.indexOf(`agent.finished ${agent}`);
      expect(start).toBeGreaterThan(1);
      expect(end).toBeGreaterThan(start);
    }
    // The summary starts after every specialist finished.
    expect(names.indexOf('agent.started summary')).toBeGreaterThan(
      names.indexOf('agent.finished text'),
    );
    const ids = events.map((e) => Number(e.id));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    // Resuming after the third event replays exactly the rest.
    const rest = await readEvents(String(started.body.id), events[2]?.id);
    expect(rest.map((e) => e.id)).toEqual(events.slice(3).map((e) => e.id));
  });

  it("answers 404 to another organization's events stream", async () => {
    const mine = await post({ text: 'ok' });
    const response = await call(app.baseUrl, 'GET', `/v1/analyses/${String(mine.body.id)}/events`, {
      headers: { 'x-api-key': other.adminKey },
    });
    expect(response.status).toBe(404);
  });

  it('replays an analysis over the same input into a new one with the same result', async () => {
    const first = await post({ datasetId, agents: ['trends'] }, '?wait=30');
    const replayed = await post({}, '', analyst, {}, `/${String(first.body.id)}/replay`);
    expect(replayed.status).toBe(202);
    expect(replayed.body.replayOf).toBe(first.body.id);
    let again: Json = {};
    for (let i = 0; i < 100 && again.status !== 'succeeded'; i++) {
      again = (await get(`/v1/analyses/${String(replayed.body.id)}`)).body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(again).toMatchObject({
      status: 'succeeded',
      replayOf: first.body.id,
      inputHash: first.body.inputHash,
    });
    const trends = (result: unknown) =>
      ((result as { trends: Array<Json> }).trends ?? []).map(
        ({ toolCallId: _id, ...rest }) => rest,
      );
    expect(trends(again.result)).toEqual(trends(first.body.result));
    const theirs = await post({}, '', other.adminKey, {}, `/${String(first.body.id)}/replay`);
    expect(theirs.status).toBe(404);
  });

  it('lists analyses newest first, filtered by status and dataset', async () => {
    const listed = await get(`/v1/analyses?datasetId=${datasetId}&status=succeeded`);
    expect(listed.status).toBe(200);
    const data = listed.body.data as Array<{ input: { datasetId?: string } }>;
    expect(data.length).toBeGreaterThan(0);
    expect(data.every((a) => a.input.datasetId === datasetId)).toBe(true);
    expect((await get('/v1/analyses?status=done')).status).toBe(400);
  });

  it('runs only the agents asked for', async () => {
    const response = await post({ datasetId, agents: ['profile'] }, '?wait=30');
    expect((response.body.agents as Array<{ name: string }>).map((a) => a.name)).toEqual([
      'profile',
    ]);
  });
});
