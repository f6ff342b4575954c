import type { Config } from 'jest';
import { pathsToModuleNameMapper } from 'ts-jest';
// Node 24 loads this file as an ES module (its own TypeScript support): JSON needs the attribute.
import tsconfig from './tsconfig.json' with { type: 'json' };

// Type checking is `npm run check`'s job; tests transpile file by file, which is much faster.
const transform: Config['transform'] = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  // OpenTelemetry's OTLP exporter loads `http` with `import()`, which jest's sandbox refuses
  // without --experimental-vm-modules (still so on Node 24): its CommonJS build (`.cjs`) is
  // compiled to `require` like ours.
  '/node_modules/@opentelemetry/otlp-exporter-base/.+\\.cjs$': [
    'ts-jest',
    { tsconfig: { allowJs: true, module: 'commonjs', isolatedModules: true } },
  ],
};
const transformIgnorePatterns = ['/node_modules/(?!@opentelemetry/otlp-exporter-base/)'];
const moduleNameMapper = pathsToModuleNameMapper(tsconfig.compilerOptions.paths, {
  prefix: '<rootDir>/',
});
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
    '!**/*.spec.ts',
    '!**/index.ts',
    '!**/metadata.ts',
    '!libs/client/**',
  ],
  // Per-project testTimeout is ignored by jest; this applies to every project.
  testTimeout: 30_000,
  // Recycle a worker whose heap grew past this between test files: each file boots whole
  // apps, and a worker that ran many of them would fail readiness' heap check (1 GiB).
  workerIdleMemoryLimit: '700MB',
  coverageReporters: ['text-summary', 'lcov'],
  // V8's own counters: istanbul's instrumentation made our code several times slower under
  // `npm test` than in production, which the event-loop stall tests then measured.
  coverageProvider: 'v8',
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,migrations}/**/*.spec.ts'],
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
