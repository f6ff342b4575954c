import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { Factory } from '../support/factory';
import { startTestApp, type TestApp } from '../support/test-app';

describe('the upload queue', () => {
  let app: TestApp;
  let key: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    // One upload loads, one may wait: a third is refused at once.
    app = await startTestApp({
      env: { DATASET_UPLOAD_CONCURRENCY: '1', DATASET_UPLOAD_QUEUE_LENGTH: '1' },
    });
    key = (await new Factory(app.app).newOrganization()).adminKey;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await app.close();
  });

  /** An upload that sends its head and a first line, then nothing more (it stays open). */
  async function unfinishedUpload(): Promise<void> {
    const socket = connect(Number(new URL(app.baseUrl).port), '127.0.0.1');
    sockets.push(socket);
    await once(socket, 'connect');
    socket.on('error', () => undefined);
    socket.write(
      'POST /v1/datasets HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/csv\r\n' +
        `X-API-Key: ${key}\r\nContent-Length: 100000\r\n\r\na,b\n1,2\n`,
    );
  }

  it('answers 503 problem+json with Retry-After when full, and admits again once it drains', async () => {
    await unfinishedUpload();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await unfinishedUpload();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    const refused = await fetch(`${app.baseUrl}/v1/datasets`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'text/csv' },
      body: 'a,b\n1,2\n',
      signal: AbortSignal.timeout(5000),
    });
    expect(refused.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await refused.json()).toMatchObject({ type: '/problems/upload-queue-full' });

    for (const socket of sockets.splice(0)) socket.destroy();
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 201; attempt++) {
      const next = await fetch(`${app.baseUrl}/v1/datasets`, {
        method: 'POST',
        headers: { 'x-api-key': key, 'content-type': 'text/csv' },
        body: 'a,b\n1,2\n',
      });
      status = next.status;
      await next.text();
      if (status !== 201) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(201);
  });
});
