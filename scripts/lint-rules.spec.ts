import type { ESLint } from 'eslint';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const root = path.resolve(__dirname, '..');
const fixture = path.join(root, 'test/lint-fixtures/misplaced-data-source.service.ts');

const repository = path.join(root, 'libs/tenancy/src/repositories/organizations.repository.ts');

/**
 * Lints `files` with ESLint's Node API and eslint.config.mjs, ignores off (the fixtures are
 * kept out of `npm run lint`). In a child process: the API import()s the ES-module config,
 * which jest's sandbox refuses without --experimental-vm-modules.
 */
async function lint(files: string[]): Promise<ESLint.LintResult[]> {
  const script = `
    import { ESLint } from 'eslint';
    const eslint = new ESLint({ cwd: process.cwd(), ignore: false });
    process.stdout.write(JSON.stringify(await eslint.lintFiles(process.argv.slice(1))));
  `;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--input-type=module', '--eval', script, ...files],
    { cwd: root, maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as ESLint.LintResult[];
}

function restrictedImports(results: ESLint.LintResult[], file: string): string[] {
  const result = results.find((each) => each.filePath === file);
  if (result === undefined) throw new Error(`${file} was not linted`);
  return result.messages
    .filter((message) => message.ruleId === 'no-restricted-imports')
    .map((message) => message.message);
}

describe('the database-access lint rule', () => {
  let results: ESLint.LintResult[];
  beforeAll(async () => {
    results = await lint([fixture, repository]);
  }, 120_000);

  it('refuses a DataSource injected outside repositories/ and libs/database', () => {
    expect(restrictedImports(results, fixture)).toEqual([
      expect.stringMatching(/^'InjectDataSource' import from '@nestjs\/typeorm' is restricted/),
      expect.stringMatching(/^'DataSource' import from 'typeorm' is restricted/),
    ]);
  });

  it('lets a repository use one', () => {
    expect(restrictedImports(results, repository)).toEqual([]);
  });
});
