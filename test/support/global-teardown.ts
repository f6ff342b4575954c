// Drops the databases this run created and stops the embedded server and the throw-away
// Redis, if they were started.
import { rm } from 'node:fs/promises';
import { Client } from 'pg';
import { takeEmbeddedForTeardown, takeRedisForTeardown } from './test-server-state';

export default async function globalTeardown(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  const run = process.env.SIGHTLINE_TEST_RUN;
  const embedded = takeEmbeddedForTeardown();
  await takeRedisForTeardown()?.stop();
  if (url !== undefined && run !== undefined) {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname LIKE 'sightline\\_t\\_' || $1 || '\\_%'",
        [run],
      );
      for (const { datname } of rows) {
        await client.query(
          `DROP DATABASE IF EXISTS ${client.escapeIdentifier(datname)} WITH (FORCE)`,
        );
      }
    } finally {
      await client.end();
    }
  }
  if (embedded !== undefined) {
    await embedded.server.stop();
    await rm(embedded.dir, { recursive: true, force: true });
  }
}
