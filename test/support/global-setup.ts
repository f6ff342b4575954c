// Runs once before the test files. Tests need a PostgreSQL server on which they
// may create databases: TEST_DATABASE_URL when given (CI), otherwise an embedded
// one started here in a throw-away folder. Some need Redis: REDIS_URL when given,
// otherwise a throw-away redis-server started here. Imports are relative: jest's
// module mapper does not apply to global setup.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../libs/database/src/embedded-postgres';
import { freePort } from './service-process';
import {
  setEmbeddedForTeardown,
  setRedisForTeardown,
  takeRedisForTeardown,
} from './test-server-state';
import { startThrowawayRedis } from './throwaway-redis';

export default async function globalSetup(globalConfig: {
  selectProjects?: string[];
}): Promise<void> {
  process.env.SIGHTLINE_TEST_RUN = `${process.pid}`;
  // Which Node runs the suite, for the log of a CI run (supported-node.spec.ts checks it).
  console.log(`\nRunning the suite on Node.js ${process.version} (${process.execPath})`);
  const onlyUnitTests =
    globalConfig.selectProjects?.length === 1 && globalConfig.selectProjects[0] === 'unit';
  if (onlyUnitTests) return;
  if (process.env.REDIS_URL === undefined) {
    const redis = await startThrowawayRedis();
    setRedisForTeardown(redis);
    process.env.REDIS_URL = redis.url;
  }
  if (process.env.TEST_DATABASE_URL !== undefined) return;
  try {
    process.env.TEST_DATABASE_URL = await startThrowawayPostgres();
  } catch (error) {
    // Jest runs no teardown after a failed set-up.
    await takeRedisForTeardown()?.stop();
    throw error;
  }
}

async function startThrowawayPostgres(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sightline-test-pg-'));
  const server = await startEmbeddedPostgres(
    // Durability buys nothing for a throw-away cluster; these make it several times faster.
    {
      dir,
      // PostgreSQL must be told its port: the reservation is released just before it binds.
      port: await freePort(),
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
    },
    { log: () => undefined, warn: (message) => console.warn(message) },
  );
  setEmbeddedForTeardown(server, dir);
  return server.adminUrl;
}
