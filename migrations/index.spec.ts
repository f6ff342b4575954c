import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS } from './index';

// `<13-digit timestamp>-<PascalName>.ts`, as `npm run migration:generate` writes them.
const MIGRATION_FILE = /^\d{13}-[A-Za-z0-9]+\.ts$/;
// TypeORM names the generated class `<PascalName><timestamp>`.
const CLASS_TIMESTAMP = /(\d{13})$/;

const migrationFiles = readdirSync(__dirname)
  .filter((file) => MIGRATION_FILE.test(file))
  .sort();

async function exportedClasses(file: string): Promise<unknown[]> {
  const module = (await import(join(__dirname, file))) as Record<string, unknown>;
  return Object.values(module).filter((value) => typeof value === 'function');
}

describe('MIGRATIONS', () => {
  it('lists the exported class of every migration file', async () => {
    const unlisted: string[] = [];
    for (const file of migrationFiles) {
      const classes = await exportedClasses(file);
      if (classes.length === 0 || !classes.every((value) => MIGRATIONS.includes(value as never))) {
        unlisted.push(file);
      }
    }

    expect(unlisted).toEqual([]);
  });

  it('lists nothing that has no file', () => {
    expect(MIGRATIONS).toHaveLength(migrationFiles.length);
  });

  it('is ordered by the timestamp in each class name', () => {
    const timestamps = MIGRATIONS.map((migration) => CLASS_TIMESTAMP.exec(migration.name)?.[1]);

    expect(timestamps).not.toContain(undefined);
    expect(timestamps).toEqual([...timestamps].sort());
  });
});
