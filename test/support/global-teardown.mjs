// Drops the databases this run created and stops the embedded server, if any.
import pg from 'pg';

export default async function globalTeardown() {
  const url = process.env.TEST_DATABASE_URL;
  const run = process.env.SIGHTLINE_TEST_RUN;
  if (url && run) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query(
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
  const server = globalThis.__SIGHTLINE_EMBEDDED_PG__;
  if (server) await server.stop();
}
