// Runs once before the test files. Tests need a PostgreSQL server on which they
// may create databases: TEST_DATABASE_URL when given (CI), otherwise an embedded
// one started here in a throw-away folder. Imports are relative: jest's module
// mapper does not apply to global setup.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../libs/database/src/embedded-postgres';
import { freePort } from './service-process';
import { setEmbeddedForTeardown } from './test-server-state';

export default async function globalSetup(globalConfig: {
  selectProjects?: string[];
}): Promise<void> {
  process.env.SIGHTLINE_TEST_RUN = `${process.pid}`;
  // Which Node runs the suite, for the log of a CI run (supported-node.spec.ts checks it).
  console.log(`\nRunning the suite on Node.js ${process.version} (${process.execPath})`);
  const onlyUnitTests =
    globalConfig.selectProjects?.length === 1 && globalConfig.selectProjects[0] === 'unit';
  if (process.env.TEST_DATABASE_URL !== undefined || onlyUnitTests) return;

  const dir = await mkdtemp(join(tmpdir(), 'sightline-test-pg-'));
  const server = await startEmbeddedPostgres(
    // Durability buys nothing for a throw-away cluster; these make it several times faster.
    {
      dir,
      port: await freePort(),
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
    },
    { log: () => undefined, warn: (message) => console.warn(message) },
  );
  setEmbeddedForTeardown(server, dir);
  process.env.TEST_DATABASE_URL = server.adminUrl;
}
