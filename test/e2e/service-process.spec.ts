import { startEmbeddedServer, stopEmbeddedServer } from '@app/database';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase } from '../support/test-database';
import { freePort, ServiceProcess, waitForStatus } from '../support/service-process';

async function withEmbeddedClient<T>(
  dir: string,
  port: number,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  const credentials = JSON.parse(readFileSync(join(dir, 'credentials.json'), 'utf8')) as {
    user: string;
    password: string;
    database: string;
  };
  const client = new Client({ host: '127.0.0.1', port, ...credentials });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Sends a request whose body arrives in two halves, `gapMs` apart; resolves with the status line. */
function slowRequest(
  port: number,
  gapMs: number,
): { statusLine: Promise<string>; headersSent: Promise<void> } {
  const body = JSON.stringify({ note: 'a body that arrives slowly' });
  let markSent: () => void = () => undefined;
  const headersSent = new Promise<void>((resolve) => (markSent = resolve));
  const statusLine = new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        `POST /v1/slow-upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
      );
      markSent();
      setTimeout(() => socket.write(body.slice(10)), gapMs);
    });
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (received.includes('\r\n')) resolve(received.split('\r\n')[0] ?? '');
    });
    socket.on('error', reject);
    socket.on('close', () =>
      reject(new Error(`connection closed after: ${JSON.stringify(received)}`)),
    );
  });
  return { statusLine, headersSent };
}

// Each step of this journey builds on the one before, as a newcomer's would.
jest.setTimeout(90_000);

describe('the built api process, as `npm start` runs it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-quickstart-'));
  const workDir = mkdtempSync(join(tmpdir(), 'sightline-cwd-'));
  let env: Record<string, string>;
  let service: ServiceProcess | undefined;
  let databasePort: number;
  let httpPort: number;
  let bootstrapKey = '';

  beforeAll(async () => {
    // PostgreSQL must be told its port; the api binds 0 and each start reports its own.
    databasePort = await freePort();
    // No DATABASE_URL: the quickstart path, with an embedded PostgreSQL whose data lives in `dir`.
    env = {
      NODE_ENV: 'development',
      LOG_PRETTY: 'false',
      LOG_LEVEL: 'info',
      PORT: '0',
      EMBEDDED_DATABASE_DIR: dir,
      EMBEDDED_DATABASE_PORT: String(databasePort),
      SHUTDOWN_TIMEOUT_MS: '15000',
    };
  });
  afterAll(async () => {
    await service?.kill();
    await stopEmbeddedServer(join(dir, 'cluster'));
    rmSync(dir, { recursive: true, force: true });
    rmSync(workDir, { recursive: true, force: true });
  });

  it('starts with no database configured, ready within 60 s, with Swagger UI at /docs and the dashboard at /', async () => {
    const started = Date.now();
    service = new ServiceProcess('api', env, workDir);
    httpPort = await service.listeningPort(60_000);
    await waitForStatus(`http://127.0.0.1:${httpPort}/health/ready`, 200, 60_000);
    expect(Date.now() - started).toBeLessThan(60_000);
    const docs = await fetch(`http://127.0.0.1:${httpPort}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger-ui');
    // The dashboard from dist/web, found beside the bundle whatever the working directory.
    const dashboard = await fetch(`http://127.0.0.1:${httpPort}/`);
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toMatch(/<script type="module" [^>]*src="\/assets\/[\w-]+\.js"/);
    // The ingest path was warmed before the API listened (8 MiB, the default outside tests).
    expect(service.output.join('\n')).toMatch(/Ingest warm-up: \d{5,} rows in \d+ ms/);
    // First start on an empty database: an organization and its admin key, printed once.
    const printed = service.output.join('\n').match(/sl_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}/g) ?? [];
    expect(printed).toHaveLength(1);
    bootstrapKey = printed[0] ?? '';
    const me = await fetch(`http://127.0.0.1:${httpPort}/v1/auth/me`, {
      headers: { 'x-api-key': bootstrapKey },
    });
    expect(await me.json()).toMatchObject({ kind: 'apiKey', role: 'admin' });
    // A CSV upload profiled by the built bundle's profile worker thread (profile-worker.js).
    const upload = await fetch(`http://127.0.0.1:${httpPort}/v1/datasets?name=quickstart`, {
      method: 'POST',
      headers: { 'x-api-key': bootstrapKey, 'content-type': 'text/csv' },
      body: 'n,day,label\n1,2024-01-01,a\n2,,b\n3,2024-01-03,a\n',
    });
    expect(upload.status).toBe(201);
    const { id } = (await upload.json()) as { id: string };
    const profile = await fetch(`http://127.0.0.1:${httpPort}/v1/datasets/${id}/profile`, {
      headers: { 'x-api-key': bootstrapKey },
    });
    expect(await profile.json()).toMatchObject({
      columns: [
        { name: 'n', type: 'integer', count: 3, min: 1, max: 3, mean: 2 },
        { name: 'day', type: 'date', count: 3, nullCount: 1, min: '2024-01-01' },
        {
          name: 'label',
          type: 'string',
          distinctCount: 2,
          topValues: [
            { value: 'a', count: 2 },
            { value: 'b', count: 1 },
          ],
        },
      ],
    });
    // A chart rendered by the bundle: Vega loads with Node's import() (ES modules, top-level await).
    const histogram = await fetch(
      `http://127.0.0.1:${httpPort}/v1/datasets/${id}/columns/n/histogram.svg?bins=3`,
      { headers: { 'x-api-key': bootstrapKey } },
    );
    expect(histogram.status).toBe(200);
    expect(histogram.headers.get('content-type')).toContain('image/svg+xml');
    expect(await histogram.text()).toMatch(/^<svg[\s\S]*<\/svg>$/);
    await withEmbeddedClient(dir, databasePort, async (client) => {
      await client.query(
        'CREATE TABLE quickstart_note (id serial PRIMARY KEY, note text NOT NULL)',
      );
      await client.query(
        "INSERT INTO quickstart_note (note) VALUES ('written before the restart')",
      );
    });
  });

  it('finishes an in-flight request after SIGTERM, then exits 0 and stops its database', async () => {
    const slow = slowRequest(httpPort, 1500);
    await slow.headersSent;
    await new Promise((resolve) => setTimeout(resolve, 200));
    service?.signal('SIGTERM');
    // The request was mid-body when the signal came; it still gets its answer (404: no such route).
    expect(await slow.statusLine).toBe('HTTP/1.1 404 Not Found');
    expect(await service?.exited).toBe(0);
    await expect(withEmbeddedClient(dir, databasePort, () => Promise.resolve())).rejects.toThrow();
  });

  it('keeps what was written across a restart', async () => {
    // Restarted with a V8 flag, as an operator might: the profile worker thread must still start.
    service = new ServiceProcess('api', env, workDir, ['--max-old-space-size=768']);
    httpPort = await service.listeningPort(60_000);
    await waitForStatus(`http://127.0.0.1:${httpPort}/health/ready`, 200, 60_000);
    const rows = await withEmbeddedClient(dir, databasePort, (client) =>
      client.query<{ note: string }>('SELECT note FROM quickstart_note'),
    );
    expect(rows.rows).toEqual([{ note: 'written before the restart' }]);
    // Not an empty database any more: no second organization, no key printed, the first key still works.
    expect(service?.output.join('\n')).not.toMatch(/sl_[A-Za-z0-9]{12}_/);
    const me = await fetch(`http://127.0.0.1:${httpPort}/v1/auth/me`, {
      headers: { 'x-api-key': bootstrapKey },
    });
    expect(me.status).toBe(200);
    const upload = await fetch(`http://127.0.0.1:${httpPort}/v1/datasets?name=after-restart`, {
      method: 'POST',
      headers: { 'x-api-key': bootstrapKey, 'content-type': 'text/csv' },
      body: 'n\n1\n2\n',
    });
    expect(upload.status).toBe(201);
  });

  it('is not ready within 5 s of PostgreSQL stopping, and ready again once it is back, without a restart', async () => {
    const readyUrl = `http://127.0.0.1:${httpPort}/health/ready`;
    await stopEmbeddedServer(join(dir, 'cluster'));
    expect(await waitForStatus(readyUrl, 503, 5000)).toBeLessThan(5000);
    await startEmbeddedServer({ dir, port: databasePort });
    expect(await waitForStatus(readyUrl, 200, 5000)).toBeLessThan(5000);
    service?.signal('SIGTERM');
    expect(await service?.exited).toBe(0);
  });
});

describe('start-up with a bad configuration', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'sightline-cwd-'));
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('exits non-zero naming DATABASE_URL when it is nonsense', async () => {
    const service = new ServiceProcess('api', { DATABASE_URL: 'nonsense' }, workDir);
    expect(await service.exited).not.toBe(0);
    expect(service.output.join('\n')).toMatch(
      /DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/,
    );
  });

  it('exits non-zero naming JWT_SECRET when production lacks it', async () => {
    const service = new ServiceProcess(
      'api',
      { NODE_ENV: 'production', DATABASE_URL: 'postgresql://sightline@db.example:5432/sightline' },
      workDir,
    );
    expect(await service.exited).not.toBe(0);
    const output = service.output.join('\n');
    expect(output).toMatch(/JWT_SECRET: is required/);
    expect(output).not.toMatch(/DATABASE_URL/);
  });
});

describe('the built worker process', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'sightline-cwd-'));
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('serves only health probes and exits 0 on SIGTERM', async () => {
    const database = await createTestDatabase();
    const worker = new ServiceProcess(
      'worker',
      {
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        DATABASE_URL: database.url,
        WORKER_HEALTH_PORT: '0',
      },
      workDir,
    );
    try {
      const port = await worker.listeningPort(30_000);
      await waitForStatus(`http://127.0.0.1:${port}/health/ready`, 200, 30_000);
      expect((await fetch(`http://127.0.0.1:${port}/docs`)).status).toBe(404);
      worker.signal('SIGTERM');
      expect(await worker.exited).toBe(0);
    } finally {
      await worker.kill();
      await database.drop();
    }
  });
});
