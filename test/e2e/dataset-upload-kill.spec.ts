import { generateApiKey } from '@app/auth';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as request_ } from 'node:http';
import { Client } from 'pg';
import { ServiceProcess, waitForStatus } from '../support/service-process';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/**
 * Streams an endless CSV body over HTTP (with backpressure) until the connection
 * breaks; resolves with the error that broke it.
 */
function uploadEndlessCsv(port: number, key: string): Promise<Error> {
  return new Promise((resolve) => {
    let stopped = false;
    const request = request_({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/v1/datasets',
      headers: { 'x-api-key': key, 'content-type': 'text/csv' },
    });
    const stop = (error: Error) => {
      if (stopped) return;
      stopped = true;
      resolve(error);
    };
    request.on('error', stop);
    request.on('close', () => stop(new Error('connection closed')));
    request.on('response', (response) => stop(new Error(`answered ${response.statusCode}`)));
    let row = 0;
    const write = () => {
      while (!stopped) {
        let chunk = row === 0 ? 'id,at,name,value\n' : '';
        for (let i = 0; i < 2000; i++, row++) {
          chunk += `${row},2024-01-01T00:00:${String(row % 60).padStart(2, '0')}Z,"name ${row}, quoted",${row * 0.5}\n`;
        }
        if (!request.write(chunk)) {
          request.once('drain', write);
          return;
        }
      }
    };
    write();
  });
}

describe('a service killed in the middle of an upload', () => {
  let database: TestDatabase;
  let client: Client;
  let service: ServiceProcess | undefined;
  let port: number;
  let env: Record<string, string>;
  const key = generateApiKey().key;
  const workDir = mkdtempSync(join(tmpdir(), 'sightline-kill-'));

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new Client({ connectionString: database.url });
    await client.connect();
    env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      // Each start binds a port of its own and reports it (ServiceProcess.listeningPort).
      PORT: '0',
      DATABASE_URL: database.url,
      BOOTSTRAP_ON_START: 'true',
      BOOTSTRAP_ADMIN_API_KEY: key,
    };
  });
  afterAll(async () => {
    await service?.kill();
    await client.end();
    await database.drop();
    rmSync(workDir, { recursive: true, force: true });
  });

  async function stored(): Promise<{ datasets: number; tables: number }> {
    const result = await client.query<{ datasets: number; tables: number }>(
      `SELECT (SELECT count(*)::int FROM datasets) AS datasets,
              (SELECT count(*)::int FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'dataset_rows') AS tables`,
    );
    return result.rows[0];
  }

  it('leaves no dataset and no table behind after a restart', async () => {
    service = new ServiceProcess('api', env, workDir);
    port = await service.listeningPort(60_000);
    await waitForStatus(`http://127.0.0.1:${port}/health/ready`, 200, 60_000);
    expect(await stored()).toEqual({ datasets: 0, tables: 0 });

    const upload = uploadEndlessCsv(port, key);

    // Wait until rows are flowing into the new table (its COPY is running), then kill.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const copying = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND query LIKE 'COPY "dataset_rows".%'`,
      );
      if ((copying.rows[0]?.n ?? 0) > 0) break;
      if (Date.now() > deadline) throw new Error('the upload never reached COPY');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    service.signal('SIGKILL');
    await service.exited;
    // The connection broke: the service never answered.
    expect((await upload).message).not.toMatch(/^answered/);

    service = new ServiceProcess('api', env, workDir);
    port = await service.listeningPort(60_000);
    await waitForStatus(`http://127.0.0.1:${port}/health/ready`, 200, 60_000);
    // PostgreSQL rolls the transaction back when the connection drops: the table never existed.
    const settled = Date.now() + 10_000;
    while ((await stored()).tables > 0 && Date.now() < settled) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await stored()).toEqual({ datasets: 0, tables: 0 });
    const list = await fetch(`http://127.0.0.1:${port}/v1/datasets`, {
      headers: { 'x-api-key': key },
    });
    expect(((await list.json()) as { data: unknown[] }).data).toEqual([]);
  });
});
