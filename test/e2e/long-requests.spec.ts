import { call, Factory } from '../support/factory';
import { startTestApp, type TestApp } from '../support/test-app';

const PROBLEM = 'application/problem+json';

describe('caps on long requests (exports, event streams, uploads)', () => {
  let app: TestApp;
  let first: string;
  let second: string;
  let otherOrganization: string;
  const open: AbortController[] = [];

  beforeAll(async () => {
    // No worker: analyses stay queued, so their event streams stay open.
    app = await startTestApp({
      env: {
        WORKERS: 'off',
        LONG_REQUESTS_PER_PRINCIPAL: '2',
        LONG_REQUESTS_PER_ORGANIZATION: '3',
      },
    });
    const factory = new Factory(app.app);
    const organization = await factory.newOrganization();
    first = organization.adminKey;
    second = (await factory.newApiKey(organization.organizationId, 'viewer')).key;
    otherOrganization = (await factory.newOrganization()).adminKey;
  });
  afterAll(async () => {
    for (const controller of open) controller.abort();
    await app.close();
  });

  async function queuedAnalysis(key: string): Promise<string> {
    const created = await call(app.baseUrl, 'POST', '/v1/analyses', {
      headers: { 'x-api-key': key },
      body: { text: 'A long wait.' },
    });
    expect(created.status).toBe(202);
    return String(created.body.id);
  }

  /** Opens an event stream and leaves it open; answers its response (body unread). */
  async function stream(key: string, analysisId: string): Promise<Response> {
    const controller = new AbortController();
    open.push(controller);
    return fetch(`${app.baseUrl}/v1/analyses/${analysisId}/events`, {
      headers: { 'x-api-key': key },
      signal: controller.signal,
    });
  }

  async function expectTooMany(response: Response, who: RegExp): Promise<void> {
    expect(response.status).toBe(429);
    expect(response.headers.get('content-type')).toContain(PROBLEM);
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    const body = (await response.json()) as { type: string; detail: string };
    expect(body.type).toBe('/problems/too-many-long-requests');
    expect(body.detail).toMatch(who);
  }

  it('refuses a principal over its cap and an organization over its cap, with Retry-After', async () => {
    const mine = await queuedAnalysis(first);
    expect((await stream(first, mine)).status).toBe(200);
    expect((await stream(first, mine)).status).toBe(200);
    // The principal's third long request, whatever its kind.
    await expectTooMany(await stream(first, mine), /^you have 2 /);
    const exported = await fetch(`${app.baseUrl}/v1/metrics/export`, {
      headers: { 'x-api-key': first },
    });
    await expectTooMany(exported, /^you have 2 /);
    // Another key of the organization: one more fits the organization's 3, then no more.
    expect((await stream(second, mine)).status).toBe(200);
    await expectTooMany(await stream(second, mine), /^your organization has 3 /);
    // Another organization is not affected.
    const theirs = await queuedAnalysis(otherOrganization);
    expect((await stream(otherOrganization, theirs)).status).toBe(200);
  });

  it('gives a slot back when its response ends', async () => {
    for (const controller of open.splice(0)) controller.abort();
    const analysisId = await queuedAnalysis(first);
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      const response = await stream(first, analysisId);
      status = response.status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);
    const exported = await fetch(`${app.baseUrl}/v1/metrics/export`, {
      headers: { 'x-api-key': first },
    });
    expect(exported.status).toBe(200);
    await exported.text();
  });
});
