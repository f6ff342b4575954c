import type { NodeEnvironment } from './config.schema';

type Defaults = Record<string, string>;

const common: Defaults = {
  HOST: '0.0.0.0',
  PORT: '3000',
  LOG_LEVEL: 'info',
  LOG_PRETTY: 'false',
  DATABASE_POOL_SIZE: '10',
  // Exports and uploads hold a connection as long as their client: never the whole pool.
  DATABASE_LONG_REQUEST_CONNECTIONS: '4',
  DATABASE_STATEMENT_TIMEOUT_MS: '30000',
  DATABASE_CONNECT_TIMEOUT_MS: '5000',
  DATABASE_SSL: 'disable',
  DATABASE_MIGRATIONS_RUN: 'true',
  EMBEDDED_DATABASE_DIR: './.data/postgres',
  EMBEDDED_DATABASE_PORT: '54329',
  WORKERS: 'inline',
  WORKER_HEALTH_PORT: '3001',
  CORS_ORIGINS: '',
  TRUST_PROXY: 'false',
  ENFORCE_HTTPS: 'false',
  BODY_LIMIT_BYTES: '1048576',
  SHUTDOWN_TIMEOUT_MS: '25000',
  JWT_ACCESS_TTL_SECONDS: '900',
  JWT_REFRESH_TTL_SECONDS: '2592000',
  BOOTSTRAP_ON_START: 'true',
  PRINCIPAL_CACHE_TTL_SECONDS: '30',
  SIGNATURE_MAX_SKEW_SECONDS: '300',
  REDIS_KEY_PREFIX: 'sightline:',
  RATE_LIMIT_DEFAULT_LIMIT: '600',
  RATE_LIMIT_DEFAULT_WINDOW_SECONDS: '60',
  RATE_LIMIT_EXPENSIVE_LIMIT: '30',
  RATE_LIMIT_EXPENSIVE_WINDOW_SECONDS: '60',
  RATE_LIMIT_LOGIN_LIMIT: '10',
  RATE_LIMIT_LOGIN_WINDOW_SECONDS: '900',
  // Each person refreshes about once per access-token lifetime (15 min): room for an office.
  RATE_LIMIT_REFRESH_LIMIT: '600',
  RATE_LIMIT_REFRESH_WINDOW_SECONDS: '900',
  RATE_LIMIT_ANONYMOUS_LIMIT: '60',
  RATE_LIMIT_ANONYMOUS_WINDOW_SECONDS: '60',
  RATE_LIMIT_EXEMPT_CIDRS: '',
  DATASET_MAX_BYTES: String(1024 ** 3),
  DATASET_MAX_COLUMNS: '1000',
  DATASET_MAX_LINE_LENGTH: String(1024 ** 2),
  DATASET_MAX_FIELD_LENGTH: String(1024 ** 2),
  DATASET_UPLOAD_CONCURRENCY: '4',
  DATASET_UPLOAD_QUEUE_LENGTH: '16',
  DATASET_UPLOAD_IDLE_TIMEOUT_MS: '60000',
  DATASET_WARM_UP_BYTES: String(8 * 1024 ** 2),
  DATASET_ROWS_PAGE_MAX_BYTES: String(8 * 1024 ** 2),
  METRICS_CACHE_TTL_SECONDS: '300',
  METRICS_CACHE_WARM_SERIES: '5',
  METRICS_SERIES_MAX_POINTS: '10000',
  QUESTIONS_STATEMENT_TIMEOUT_MS: '5000',
  QUESTIONS_WORK_MEM_MB: '64',
  QUESTIONS_PLANNER: 'auto',
  ANALYSIS_CONCURRENCY: '2',
  ANALYSIS_TIMEOUT_SECONDS: '120',
  ANALYSIS_STALE_SECONDS: '30',
  ANALYSIS_EVENTS_POLL_MS: '5000',
  REPORTS_PER_ORGANIZATION: '100',
  REPORT_RUNS_PER_HOUR: '120',
  REPORT_TICK_SECONDS: '10',
  REPORT_CONCURRENCY: '2',
  REPORT_TIMEOUT_SECONDS: '300',
  REPORT_STALE_SECONDS: '60',
  REPORT_CATCH_UP_LIMIT: '100',
  REPORT_DOCUMENT_MAX_BYTES: String(20 * 1024 ** 2),
  REPORT_RETENTION_DAYS: '90',
  // Development and test deliver to receivers on this machine; production refuses them.
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  WEBHOOK_ALLOW_HTTP: 'true',
  WEBHOOK_TIMEOUT_MS: '15000',
  // 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 24 h: a receiver down for a day still gets it.
  WEBHOOK_RETRY_SCHEDULE_SECONDS: '5,300,1800,7200,18000,36000,86400',
  LONG_REQUESTS_PER_PRINCIPAL: '4',
  LONG_REQUESTS_PER_ORGANIZATION: '16',
  LONG_REQUEST_MIN_BYTES_PER_SECOND: '65536',
  LONG_REQUEST_RATE_WINDOW_SECONDS: '30',
  LONG_REQUEST_MAX_SECONDS: '3600',
  LLM_MAX_CONCURRENCY: '8',
  LLM_TRACE_EXPORT: 'false',
  OTEL_SERVICE_NAME: 'sightline',
  OTEL_EXPORTER_OTLP_TIMEOUT: '10000',
  OTEL_TRACES_SAMPLER: 'parentbased_always_on',
  OTEL_TRACES_SAMPLER_ARG: '1',
  HEALTH_HEAP_MAX_MB: '1024',
  HEALTH_DISK_PATH: '/',
  HEALTH_DISK_MAX_USED_PERCENT: '95',
};

/**
 * Defaults per environment. Development favours a zero-setup start; test keeps
 * logs quiet; production insists on explicit secrets and HTTPS. Only the test
 * profile has a constant `JWT_SECRET`, marked `insecure-` so production refuses
 * it; development generates one (load-config.ts, development-secret.ts).
 */
const perEnvironment: Record<NodeEnvironment, Defaults> = {
  development: {
    LOG_LEVEL: 'debug',
    LOG_PRETTY: 'true',
    CORS_ORIGINS: 'http://localhost:3000',
  },
  test: {
    LOG_LEVEL: 'warn',
    PORT: '0',
    WORKER_HEALTH_PORT: '0',
    DATABASE_POOL_SIZE: '4',
    DATABASE_LONG_REQUEST_CONNECTIONS: '2',
    // Tests create their organizations with factories; nothing appears on its own.
    BOOTSTRAP_ON_START: 'false',
    // Every test app would spend ~1 CPU-second warming an ingest path most never use.
    DATASET_WARM_UP_BYTES: '0',
    JWT_SECRET: 'insecure-test-secret-0000000000000000000000000000',
    // Never inferred from keys in a developer's shell: a test calls no model over the network
    // unless it asks for a provider itself.
    LLM_PROVIDER: 'builtin',
    // Every test client is 127.0.0.1, and access tests send hundreds of 401s on purpose;
    // the anonymous-limit tests set their own limit.
    RATE_LIMIT_ANONYMOUS_LIMIT: '100000',
  },
  production: {
    ENFORCE_HTTPS: 'true',
    DATABASE_POOL_SIZE: '20',
    DATABASE_LONG_REQUEST_CONNECTIONS: '8',
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false',
    WEBHOOK_ALLOW_HTTP: 'false',
  },
};

/** The model agents get with `LLM_PROVIDER=openai` when `LLM_MODEL` is unset. */
export const DEFAULT_OPENAI_MODEL = 'gpt-4.1-mini';

export function defaultsFor(environment: NodeEnvironment): Defaults {
  return { ...common, ...perEnvironment[environment] };
}
