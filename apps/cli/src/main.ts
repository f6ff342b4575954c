/**
 * The admin CLI: creates organizations and API keys without HTTP; upgrades the job queue.
 *   npm run cli -- create-organization --name <name>
 *   npm run cli -- create-api-key --role <role> [--organization <uuid>] [--name <label>] [--expires-at <ISO-8601>]
 *   npm run cli -- upgrade-job-queue
 *   node dist/apps/cli/main.js --help
 * A created key is printed alone on the last line of standard output; diagnostics go to
 * standard error. Exit codes: 0 done, 1 failed (bad configuration, unknown
 * organization, database), 2 bad arguments.
 */
import { type AppConfig, ConfigValidationError, loadConfigFromProcess } from '@app/config';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '@app/database';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CliModule } from './cli.module';
import { type CliCommand, parseCliArguments, USAGE, UsageError } from './commands/cli-arguments';
import { CommandFailure, type CommandResult } from './commands/command-result';
import { createApiKey } from './commands/create-api-key.command';
import { createOrganization } from './commands/create-organization.command';
import { upgradeJobQueueCommand } from './commands/upgrade-job-queue.command';

const NAME = 'sightline-cli';

/** Resolves once the text is handed to the OS, so exiting afterwards loses none of it. */
function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve) => stream.write(text, () => resolve()));
}

function note(message: string): void {
  process.stderr.write(`${NAME}: ${message}\n`);
}

function describe(error: unknown): string {
  // pg reports a refused connection as an AggregateError with an empty message.
  if (error instanceof AggregateError && error.errors.length > 0)
    return error.errors.map(describe).join('; ');
  if (error instanceof Error) return error.message === '' ? error.name : error.message;
  return String(error);
}

function run(
  app: INestApplicationContext,
  databaseUrl: string,
  command: Exclude<CliCommand, { name: 'help' }>,
): Promise<CommandResult> {
  switch (command.name) {
    case 'create-api-key':
      return createApiKey(app, command);
    case 'create-organization':
      return createOrganization(app, command.organizationName);
    case 'upgrade-job-queue':
      return upgradeJobQueueCommand(databaseUrl);
  }
}

async function execute(command: Exclude<CliCommand, { name: 'help' }>): Promise<number> {
  let config: AppConfig;
  try {
    config = loadConfigFromProcess();
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    await write(process.stderr, `${NAME}: ${error.message}\n`);
    return 1;
  }

  let embedded: EmbeddedPostgres | undefined;
  let app: INestApplicationContext | undefined;
  try {
    if (config.database.url === undefined) {
      // Shared, and left running, when an api or worker on the same data directory started it.
      embedded = await startEmbeddedPostgres(config.database.embedded, { log: note, warn: note });
    }
    const databaseUrl = config.database.url ?? embedded?.url;
    if (databaseUrl === undefined) throw new Error('No database URL');
    // Nest's logger off: standard output carries only the result.
    app = await NestFactory.createApplicationContext(CliModule.forRoot(config, databaseUrl), {
      logger: false,
      abortOnError: false,
    });
    const result = await run(app, databaseUrl, command);
    // Printed before closing: the key exists now, and a failure to close must not lose it.
    const key = result.key === undefined ? [] : [result.key];
    await write(process.stdout, `${[...result.lines, ...key].join('\n')}\n`);
    return 0;
  } catch (error) {
    const prefix = error instanceof CommandFailure ? '' : 'failed: ';
    await write(process.stderr, `${NAME}: ${prefix}${describe(error)}\n`);
    return 1;
  } finally {
    await app?.close().catch((error: unknown) => note(`closing: ${describe(error)}`));
    await embedded
      ?.stop()
      .catch((error: unknown) => note(`stopping the embedded PostgreSQL: ${describe(error)}`));
  }
}

async function main(argv: string[]): Promise<number> {
  let command: CliCommand;
  try {
    command = parseCliArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    await write(process.stderr, `${NAME}: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (command.name === 'help') {
    await write(process.stdout, USAGE);
    return 0;
  }
  return execute(command);
}

// process.exit, not a natural exit: a cache or pool handle left open must not keep the CLI alive.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${NAME}: failed: ${describe(error)}\n`);
    process.exit(1);
  },
);
