import { once } from 'node:events';
import { connect } from 'node:net';
import { call, Factory } from '../support/factory';
import { startTestApp, type TestApp } from '../support/test-app';

describe('a stalled upload', () => {
  let app: TestApp;
  let key: string;

  beforeAll(async () => {
    // One upload slot: a slot the stalled upload failed to give back would block the next one.
    app = await startTestApp({
      env: { DATASET_UPLOAD_IDLE_TIMEOUT_MS: '500', DATASET_UPLOAD_CONCURRENCY: '1' },
    });
    key = (await new Factory(app.app).newOrganization()).adminKey;
  });
  afterAll(async () => {
    await app.close();
  });

  it('loses its connection once bytes stop arriving, stores nothing, and frees its slot', async () => {
    const port = Number(new URL(app.baseUrl).port);
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    const closed = once(socket, 'close');
    const started = Date.now();
    socket.write(
      'POST /v1/datasets HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/csv\r\n' +
        `X-API-Key: ${key}\r\nContent-Length: 100000\r\n\r\na,b\n1,2\n`,
    );
    await closed;
    expect(Date.now() - started).toBeLessThan(10_000);
    const list = await call(app.baseUrl, 'GET', '/v1/datasets', { headers: { 'x-api-key': key } });
    expect(list.body.data).toEqual([]);
    const next = await fetch(`${app.baseUrl}/v1/datasets`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'text/csv' },
      body: 'a,b\n1,2\n',
    });
    expect(next.status).toBe(201);
  });
});
