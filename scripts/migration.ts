/**
 * Schema migrations, the only way the schema changes.
 *   npm run migration:run                 apply pending migrations
 *   npm run migration:check               exit 1 if the entities differ from the migrated schema (drift)
 *   npm run migration:generate -- <Name>  write migrations/<timestamp>-<Name>.ts from that difference
 *                                         and list it in migrations/index.ts
 * Uses DATABASE_URL, or the embedded PostgreSQL under ./.data when it is unset.
 */
import { loadConfigFromProcess } from '@app/config';
import {
  buildDataSourceOptions,
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '@app/database';
import { NestFactory } from '@nestjs/core';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ApiModule } from '../apps/api/src/api.module';

const MIGRATIONS_DIR = join(__dirname, '..', 'migrations');

function quote(sql: string): string {
  return `\`${sql.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${')}\``;
}

function migrationSource(className: string, up: string[], down: string[]): string {
  const lines = (queries: string[]) =>
    queries.map((query) => `    await queryRunner.query(${quote(query)});`).join('\n');
  return `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${lines(up)}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${lines(down)}
  }
}
`;
}

function listInIndex(fileBase: string, className: string): void {
  const indexFile = join(MIGRATIONS_DIR, 'index.ts');
  let index = readFileSync(indexFile, 'utf8');
  index = index.replace(
    "import type { MigrationInterface } from 'typeorm';\n",
    `import type { MigrationInterface } from 'typeorm';\nimport { ${className} } from './${fileBase}';\n`,
  );
  index = index.replace(/= \[([^\]]*)\];/, (_match, entries: string) => {
    const names = entries
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    return `= [${[...names, className].join(', ')}];`;
  });
  writeFileSync(indexFile, index);
}

async function withDatabase(work: (databaseUrl: string) => Promise<number>): Promise<number> {
  const config = loadConfigFromProcess();
  let embedded: EmbeddedPostgres | undefined;
  if (config.database.url === undefined) {
    embedded = await startEmbeddedPostgres(config.database.embedded, {
      log: console.log,
      warn: console.warn,
    });
  }
  const databaseUrl = config.database.url ?? embedded?.url;
  if (databaseUrl === undefined) throw new Error('No database: set DATABASE_URL');
  try {
    return await work(databaseUrl);
  } finally {
    await embedded?.stop();
  }
}

/** Boots the API's module graph (migrating on the way) so every entity any module registers is known. */
async function pendingSchemaChanges(
  databaseUrl: string,
): Promise<{ up: string[]; down: string[] }> {
  const config = loadConfigFromProcess();
  const app = await NestFactory.createApplicationContext(
    ApiModule.forRoot(config, { databaseUrl }),
    { logger: ['error', 'warn'] },
  );
  try {
    const sql = await app.get(DataSource).driver.createSchemaBuilder().log();
    return {
      up: sql.upQueries.map((query) => query.query),
      down: sql.downQueries.reverse().map((query) => query.query),
    };
  } finally {
    await app.close();
  }
}

async function main(): Promise<number> {
  const [command, name] = process.argv.slice(2);
  switch (command) {
    case 'run':
      return withDatabase(async (databaseUrl) => {
        const config = loadConfigFromProcess();
        const dataSource = new DataSource(
          buildDataSourceOptions(config.database, databaseUrl, 'sightline-migrate'),
        );
        await dataSource.initialize();
        try {
          const applied = await dataSource.runMigrations({ transaction: 'each' });
          console.log(
            applied.length === 0
              ? 'No pending migrations'
              : `Applied: ${applied.map((m) => m.name).join(', ')}`,
          );
        } finally {
          await dataSource.destroy();
        }
        return 0;
      });
    case 'check':
      return withDatabase(async (databaseUrl) => {
        const { up } = await pendingSchemaChanges(databaseUrl);
        if (up.length === 0) {
          console.log('Entities and migrations agree: no schema drift');
          return 0;
        }
        console.error(
          `Schema drift: the entities need ${up.length} change(s) no migration makes:\n${up.join(';\n')};`,
        );
        console.error('Run `npm run migration:generate -- <Name>`, read the file, and commit it.');
        return 1;
      });
    case 'generate':
      if (name === undefined || !/^[A-Z][A-Za-z0-9]*$/.test(name)) {
        console.error('Usage: npm run migration:generate -- <PascalCaseName>');
        return 2;
      }
      return withDatabase(async (databaseUrl) => {
        const { up, down } = await pendingSchemaChanges(databaseUrl);
        if (up.length === 0) {
          console.log('No schema changes: nothing to generate');
          return 0;
        }
        const timestamp = Date.now();
        const fileBase = `${timestamp}-${name}`;
        const className = `${name}${timestamp}`;
        writeFileSync(join(MIGRATIONS_DIR, `${fileBase}.ts`), migrationSource(className, up, down));
        listInIndex(fileBase, className);
        console.log(
          `Wrote migrations/${fileBase}.ts and listed it in migrations/index.ts; read it before committing.`,
        );
        return 0;
      });
    default:
      console.error('Usage: migration.ts run | check | generate <Name>');
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
