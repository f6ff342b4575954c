import { upgradeJobQueue } from '@app/database';
import type { CommandResult } from './command-result';

export async function upgradeJobQueueCommand(databaseUrl: string): Promise<CommandResult> {
  const { fromVersion, queues, jobs } = await upgradeJobQueue(databaseUrl);
  if (fromVersion === null)
    return { lines: ['The job queue holds no pg-boss 10 schema: nothing to upgrade.'] };
  return {
    lines: [
      `Upgraded the job queue from pg-boss 10 (schema version ${fromVersion}) to pg-boss 12`,
      `  queues: ${queues}`,
      `  jobs: ${jobs}`,
      'The jobs that were waiting, retrying or running wait again; the services can start.',
    ],
  };
}
