import type { Config } from 'jest';
import { pathsToModuleNameMapper } from 'ts-jest';
// Node 24 loads this file as an ES module (its own TypeScript support): JSON needs the attribute.
import tsconfig from './tsconfig.json' with { type: 'json' };

// Packages in node_modules that jest compiles to CommonJS (see the transform below).
const compiled = [
  '@fastify/cookie',
  '@opentelemetry/otlp-exporter-base',
  'content-disposition',
  'cookie',
  'pg-boss',
  'serialize-error',
  'non-error',
  'vader-sentiment',
  'vega-interpreter',
  'vega-util',
].join('|');

// Type checking is `npm run check`'s job; tests transpile file by file, which is much faster.
const transform: Config['transform'] = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  // Jest's sandbox loads ES modules (`import()`, or `require()` of one on Node 24) only under
  // --experimental-vm-modules, so these are compiled to `require` like ours: OpenTelemetry's
  // OTLP exporter loads `http` with `import()` (its `.cjs` build), and content-disposition 3
  // (under @fastify/static, which serves Swagger UI) is ES modules only, as are pg-boss 12 and
  // its serialize-error 13 and non-error, and vader-sentiment's lexicon, and vega-interpreter
  // (with the vega-util it imports), which has no UMD build to map to as Vega has below;
  // @fastify/cookie loads its cookie 2 (ES modules only) with `import()`.
  [`/node_modules/(${compiled})/.+\\.c?js$`]: [
    'ts-jest',
    { tsconfig: { allowJs: true, module: 'commonjs', isolatedModules: true } },
  ],
};
// Any node_modules file but those packages', wherever they are nested.
const transformIgnorePatterns = [`^(?!.*/node_modules/(${compiled})/).*/node_modules/`];
const moduleNameMapper = {
  // Vega 6 and Vega-Lite 6 are ES modules whose graph has a top-level await, which jest's
  // require() cannot load, and ts-jest compiles the product's `import()` of them to require():
  // tests load the UMD builds of the same releases (single files, nothing to transform).
  '^vega$': '<rootDir>/node_modules/vega/build/vega.js',
  '^vega-lite$': '<rootDir>/node_modules/vega-lite/build/vega-lite.min.js',
  ...pathsToModuleNameMapper(tsconfig.compilerOptions.paths, { prefix: '<rootDir>/' }),
};
const shared = {
  rootDir: '.',
  transform,
  transformIgnorePatterns,
  moduleNameMapper,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
};

const config: Config = {
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  collectCoverageFrom: [
    'apps/**/*.ts',
    'libs/**/*.ts',
    // Their up() builds each test run's template database; migrations.spec.ts runs down().
    'migrations/**/*.ts',
    '!**/*.spec.ts',
    '!**/index.ts',
    '!**/metadata.ts',
    '!libs/client/**',
    // The dashboard runs in a browser: test/e2e/web-shell.spec.ts drives it there.
    '!apps/web/**',
    // Helpers for specs, not product code.
    '!libs/**/testing/**',
  ],
  // Two workers on our 2-core machines (jest's default, cores − 1, is one): files wait on
  // databases, sockets and child processes much of the time. Each file gets its own cloned
  // database (test-database.ts) and Redis key prefix, so files in parallel share no state.
  maxWorkers: 2,
  // Per-project testTimeout is ignored by jest; this applies to every project.
  testTimeout: 30_000,
  // Recycle a worker whose heap grew past this between test files: each file boots whole
  // apps, and a worker that ran many of them would fail readiness' heap check (1 GiB).
  workerIdleMemoryLimit: '700MB',
  coverageReporters: ['text-summary', 'lcov'],
  // Just under what unit and integration tests alone reached (2026-12-07: statements and lines
  // 89.7 %, branches 86.7 %, functions 85.2 %); `npm test` adds e2e on top. Raise them as
  // coverage grows, so it cannot slide back unnoticed.
  coverageThreshold: {
    global: { statements: 93, branches: 87, functions: 91, lines: 93 },
  },
  // V8's own counters: istanbul's instrumentation made our code several times slower under
  // `npm test` than in production, which the event-loop stall tests then measured.
  coverageProvider: 'v8',
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,migrations,scripts}/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.spec.ts'],
    },
  ],
};

export default config;
