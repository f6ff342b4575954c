// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import path from 'node:path';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Relative imports stay inside their own lib or app (`libs/<name>`, `apps/<name>`);
 * anything else goes through an `@app/<lib>` alias and so through that lib's index.
 */
const noRelativeImportOutOfPackage = {
  meta: {
    type: 'problem',
    messages: {
      out: "'{{source}}' climbs out of {{root}}; import it through its @app/<lib> alias",
    },
  },
  create(context) {
    const file = context.filename;
    const match = /^(.*?[\\/](?:libs|apps)[\\/][^\\/]+)[\\/]/.exec(file);
    if (match === null) return {};
    const root = match[1];
    const check = (node) => {
      const source = node.source?.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = path.resolve(path.dirname(file), source);
      if (target !== root && !target.startsWith(root + path.sep)) {
        context.report({
          node,
          messageId: 'out',
          data: { source, root: path.relative(process.cwd(), root) },
        });
      }
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};

const libIndexOnly = [
  { group: ['@app/*/*'], message: 'Import a lib through its index: @app/<lib>' },
];

const repositoriesOnly =
  'only repositories (libs/<module>/src/repositories/) and libs/database reach the database; ' +
  'a service calls a repository, and hands a transaction down as UnitOfWork from @app/database';

/**
 * Tenancy by construction: the handles that run SQL are banned outside the files that may
 * run it, so every statement lives in a repository whose methods take the organization id.
 * The exceptions are the `files` of the block below that turns this off again.
 */
const databaseAccess = [
  {
    name: 'typeorm',
    importNames: ['DataSource', 'EntityManager', 'QueryRunner'],
    message: repositoriesOnly,
  },
  {
    name: '@nestjs/typeorm',
    importNames: ['InjectDataSource', 'InjectRepository', 'InjectEntityManager'],
    message: repositoriesOnly,
  },
];
const databaseAccessPatterns = [
  { group: ['typeorm/*'], message: `Reach into TypeORM's internals nowhere: ${repositoriesOnly}` },
];

/** The lint fixtures break rules on purpose; lint-rules.spec.ts lints them explicitly. */
const LINT_FIXTURES = 'test/lint-fixtures/**';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'coverage/**',
      'node_modules/**',
      '.data/**',
      'libs/client/src/schema.d.ts',
      LINT_FIXTURES,
      '**/metadata.ts',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: {
        projectService: { allowDefaultProject: ['*.mjs', '*.ts', 'webpack.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: {
      sightline: { rules: { 'no-relative-import-out-of-package': noRelativeImportOutOfPackage } },
    },
    rules: {
      'sightline/no-relative-import-out-of-package': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { attributes: false } },
      ],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-extraneous-class': 'off',
      'no-restricted-imports': [
        'error',
        { paths: databaseAccess, patterns: [...libIndexOnly, ...databaseAccessPatterns] },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message:
            'Read configuration from AppConfig (libs/config); only libs/config reads process.env.',
        },
      ],
    },
  },
  {
    files: [
      'libs/config/src/process-environment.ts',
      'test/**',
      'scripts/**',
      '*.config.*',
      '**/*.mjs',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: [
      // Repositories own the SQL of their module; libs/database is the plumbing under them.
      'libs/*/src/repositories/**',
      'libs/database/**',
      // TypeORM hands each migration a QueryRunner; the migration script opens the
      // DataSource that generates, runs and checks them.
      'migrations/**',
      'scripts/migration.ts',
      // The test harness clones databases, opens DataSources on them and inserts fixtures
      // (data-factory.ts) beneath the repositories; medium tests run real repositories on it.
      'test/support/**',
      'test/integration/**',
      // End-to-end specs that reach what no route exposes: expiring stored nonces
      // (auth-signatures), making the credential tables refuse writes (credential-errors).
      'test/e2e/auth-signatures.spec.ts',
      'test/e2e/credential-errors.spec.ts',
      // Wraps the driver's query runner to count the bytes a rows request sends.
      'test/e2e/dataset-rows-bytes.spec.ts',
    ],
    rules: { 'no-restricted-imports': ['error', { patterns: libIndexOnly }] },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // The dashboard runs in the browser and knows the API only through its typed client.
    files: ['apps/web/src/**'],
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@app/*', '!@app/client'],
              message: 'The dashboard uses the public API only: import @app/client',
            },
            { group: ['node:*'], message: 'The dashboard runs in a browser' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', 'webpack.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The Nest CLI require()s it: CommonJS.
    files: ['webpack.config.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
