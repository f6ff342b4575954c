import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { call, Factory } from '../support/factory';
import { largeDataset } from '../support/datasets';
import { startTestApp, type TestApp } from '../support/test-app';

const SLOW_EXPORTS = 30;
const STREAMS = 30;

/**
 * A client that sends its request and never reads the answer: the server's writes back up
 * into the socket buffers and whatever the response holds (a database cursor) stays held.
 */
async function slowReader(app: TestApp, path: string, key: string): Promise<Socket> {
  const socket = connect(Number(new URL(app.baseUrl).port), '127.0.0.1');
  await once(socket, 'connect');
  socket.pause();
  socket.on('error', () => undefined);
  socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nX-API-Key: ${key}\r\n\r\n`);
  return socket;
}

describe('long requests never take the whole pool', () => {
  let app: TestApp;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    // The test pool (4 connections, 2 of them for long requests); caps high enough that
    // every slow request below is admitted, so only the pool's share protects the rest.
    app = await startTestApp({
      env: {
        WORKERS: 'off',
        LONG_REQUESTS_PER_PRINCIPAL: '1000',
        LONG_REQUESTS_PER_ORGANIZATION: '1000',
      },
    });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await app.close();
  });

  it(`keeps another organization served while one holds ${SLOW_EXPORTS} slow exports and ${STREAMS} streams`, async () => {
    const factory = new Factory(app.app);
    const busy = (await factory.newOrganization()).adminKey;
    const other = (await factory.newOrganization()).adminKey;
    const datasetId = await largeDataset(app, busy, 40_000);
    const analysis = await call(app.baseUrl, 'POST', '/v1/analyses', {
      headers: { 'x-api-key': busy },
      body: { text: 'Still waiting.' },
    });
    expect(analysis.status).toBe(202);

    for (let i = 0; i < SLOW_EXPORTS; i++) {
      const path =
        i % 2 === 0 ? `/v1/datasets/${datasetId}/export?format=csv` : '/v1/metrics/export';
      sockets.push(await slowReader(app, path, busy));
    }
    for (let i = 0; i < STREAMS; i++) {
      sockets.push(await slowReader(app, `/v1/analyses/${String(analysis.body.id)}/events`, busy));
    }
    // Let every export reach the database and fill its socket.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    for (const path of ['/v1/metrics', '/health/ready']) {
      const started = Date.now();
      const response = await fetch(`${app.baseUrl}${path}`, { headers: { 'x-api-key': other } });
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      await response.text();
      expect(Date.now() - started).toBeLessThan(1000);
    }
  }, 60_000);
});
