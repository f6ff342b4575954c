import { createSightlineClient, type SightlineClient } from '@app/client';
import { ServiceLifecycle } from '@app/common';
import { TcpProxy } from '../support/tcp-proxy';
import { startTestApp, type TestApp } from '../support/test-app';

async function pollStatus(
  client: SightlineClient,
  expected: number,
  withinMs: number,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    const { response } = await client.GET('/health/ready');
    if (response.status === expected) return Date.now() - started;
    if (Date.now() - started > withinMs)
      throw new Error(`still ${response.status} after ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('health probes', () => {
  let app: TestApp;
  let proxy: TcpProxy;
  let client: SightlineClient;

  beforeAll(async () => {
    const target = new URL(process.env.TEST_DATABASE_URL ?? '');
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    app = await startTestApp({
      connectVia: (url) => proxy.rewrite(url),
      env: { DATABASE_CONNECT_TIMEOUT_MS: '1000' },
    });
    client = createSightlineClient(app.baseUrl);
  });
  afterAll(async () => {
    await app.close();
    await proxy.stop();
  });

  it('reports live and ready with every check up', async () => {
    const live = await client.GET('/health/live');
    expect(live.response.status).toBe(200);
    expect(live.data).toMatchObject({ status: 'ok' });
    const ready = await client.GET('/health/ready');
    // Status and body in one expectation, so a failure shows which check was down.
    expect({ status: ready.response.status, body: ready.data ?? ready.error }).toMatchObject({
      status: 200,
      body: {
        status: 'ok',
        info: {
          database: { status: 'up' },
          memoryHeap: { status: 'up' },
          disk: { status: 'up' },
          lifecycle: { status: 'up' },
          cache: { status: 'up', store: 'memory' },
        },
      },
    });
  });

  it('turns not ready within 5 s of losing the database, and ready again when it is back, without a restart', async () => {
    await proxy.pause();
    const downAfter = await pollStatus(client, 503, 5000);
    const { data, error, response } = await client.GET('/health/ready');
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(data ?? error).toMatchObject({
      status: 'error',
      error: { database: { status: 'down' } },
    });
    // Liveness must not depend on the database, or an outage would restart every pod.
    expect((await client.GET('/health/live')).response.status).toBe(200);

    await proxy.resume();
    const upAfter = await pollStatus(client, 200, 5000);
    expect(downAfter).toBeLessThan(5000);
    expect(upAfter).toBeLessThan(5000);
  });

  it('turns not ready while draining for shutdown, staying live', async () => {
    app.app.get(ServiceLifecycle).markShuttingDown();
    const { response, data, error } = await client.GET('/health/ready');
    expect(response.status).toBe(503);
    expect(data ?? error).toMatchObject({
      error: { lifecycle: { status: 'down', state: 'draining' } },
    });
    expect((await client.GET('/health/live')).response.status).toBe(200);
  });
});
