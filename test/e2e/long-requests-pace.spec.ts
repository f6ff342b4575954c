import { LongConnections } from '@app/database';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { Factory } from '../support/factory';
import { largeDataset, storedDatasets } from '../support/datasets';
import { startTestApp, type TestApp } from '../support/test-app';

/** Resolves with how long `socket` stayed open, or with Infinity after `timeoutMs`. */
async function closedWithin(socket: Socket, started: number, timeoutMs: number): Promise<number> {
  const closed = once(socket, 'close').then(() => Date.now() - started);
  const timeout = new Promise<number>((resolve) => setTimeout(() => resolve(Infinity), timeoutMs));
  return Promise.race([closed, timeout]);
}

describe('exports and uploads keep a minimum pace and a deadline', () => {
  let app: TestApp;
  let key: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    // 64 KiB/s averaged over 1 s of waiting on the client; 4 s in all.
    app = await startTestApp({
      env: {
        LONG_REQUEST_MIN_BYTES_PER_SECOND: '65536',
        LONG_REQUEST_RATE_WINDOW_SECONDS: '1',
        LONG_REQUEST_MAX_SECONDS: '4',
      },
    });
    key = (await new Factory(app.app).newOrganization()).adminKey;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await app.close();
  });

  async function open(): Promise<Socket> {
    const socket = connect(Number(new URL(app.baseUrl).port), '127.0.0.1');
    sockets.push(socket);
    await once(socket, 'connect');
    socket.on('error', () => undefined);
    return socket;
  }

  function csvHead(contentLength: number): string {
    return (
      'POST /v1/datasets HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/csv\r\n' +
      `X-API-Key: ${key}\r\nContent-Length: ${contentLength}\r\n\r\na,b\n`
    );
  }

  it('cuts off an export nobody reads and gives its connection back', async () => {
    const datasetId = await largeDataset(app, key, 20_000);
    const socket = await open();
    socket.pause();
    const started = Date.now();
    socket.write(
      `GET /v1/datasets/${datasetId}/export?format=csv HTTP/1.1\r\nHost: localhost\r\nX-API-Key: ${key}\r\n\r\n`,
    );
    // The server gives the slot back (and closes the cursor's connection) on its own…
    const connections = app.app.get(LongConnections);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(connections.inUse).toBe(1);
    for (let i = 0; i < 100 && connections.inUse > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(connections.inUse).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    // …and has cut the response off: what was sent is read, then the socket ends.
    socket.resume();
    expect(await closedWithin(socket, Date.now(), 5000)).toBeLessThan(5000);
  });

  it('drops an upload that trickles in, storing nothing', async () => {
    const socket = await open();
    const started = Date.now();
    socket.write(csvHead(1_000_000));
    const trickle = setInterval(() => socket.write('1,2\n'), 100);
    try {
      expect(await closedWithin(socket, started, 10_000)).toBeLessThan(4000);
    } finally {
      clearInterval(trickle);
    }
    expect(await storedDatasets(app)).toMatchObject({ tables: [expect.any(String)], datasets: 1 });
  });

  it('drops an upload that keeps the pace but outlasts the deadline, storing nothing', async () => {
    const line = `${'7'.repeat(1020)},2\n`;
    const chunk = line.repeat(32); // 32 KiB every 250 ms: 128 KiB/s, twice the minimum
    const socket = await open();
    const started = Date.now();
    socket.write(csvHead(64 * 1024 ** 2));
    const feed = setInterval(() => socket.write(chunk), 250);
    try {
      const lasted = await closedWithin(socket, started, 15_000);
      expect(lasted).toBeGreaterThanOrEqual(3500);
      expect(lasted).toBeLessThan(10_000);
    } finally {
      clearInterval(feed);
    }
    expect(await storedDatasets(app)).toMatchObject({ datasets: 1 });
  });
});
