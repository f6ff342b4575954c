import { resolve } from 'node:path';
import { AppConfig, type JwtSecretSource, type LlmConfig } from './app-config';
import { DEFAULT_OPENAI_MODEL } from './config.defaults';
import type { ValidatedEnvironment } from './config.schema';

/** A value the cross-field rules (config.rules.ts) have required; missing here is a bug in them. */
function checked(value: string | undefined, name: string): string {
  if (value === undefined) throw new Error(`${name} passed validation without a value`);
  return value;
}

function toLlmConfig(env: ValidatedEnvironment): LlmConfig {
  const maxConcurrency = env.LLM_MAX_CONCURRENCY;
  switch (env.LLM_PROVIDER) {
    case 'builtin':
      return { provider: 'builtin', maxConcurrency };
    case 'openai':
      return {
        provider: 'openai',
        maxConcurrency,
        model: env.LLM_MODEL ?? DEFAULT_OPENAI_MODEL,
        apiKey: checked(env.OPENAI_API_KEY, 'OPENAI_API_KEY'),
        traceExport: env.LLM_TRACE_EXPORT,
      };
    case 'openai-compatible':
      return {
        provider: 'openai-compatible',
        maxConcurrency,
        model: checked(env.LLM_MODEL, 'LLM_MODEL'),
        baseUrl: checked(env.LLM_BASE_URL, 'LLM_BASE_URL'),
        apiKey: env.LLM_API_KEY,
      };
  }
}

/**
 * The traces URL as OpenTelemetry's exporters read these variables: the per-signal one
 * as given, the general one with `/v1/traces` appended to its path.
 */
function tracesEndpoint(env: ValidatedEnvironment): string | undefined {
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT !== undefined) {
    return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  }
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (base === undefined) return undefined;
  return `${base.replace(/\/+$/, '')}/v1/traces`;
}

/** The validated environment as the typed configuration the services receive. */
export function toAppConfig(
  env: ValidatedEnvironment,
  jwtSecretSource: JwtSecretSource,
): AppConfig {
  return new AppConfig({
    environment: env.NODE_ENV,
    http: {
      host: env.HOST,
      port: env.PORT,
      bodyLimitBytes: env.BODY_LIMIT_BYTES,
      corsOrigins: env.CORS_ORIGINS,
      trustProxy: env.TRUST_PROXY,
      enforceHttps: env.ENFORCE_HTTPS,
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    },
    log: { level: env.LOG_LEVEL, pretty: env.LOG_PRETTY },
    database: {
      url: env.DATABASE_URL,
      poolSize: env.DATABASE_POOL_SIZE,
      longRequestConnections: env.DATABASE_LONG_REQUEST_CONNECTIONS,
      statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
      connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
      ssl: { mode: env.DATABASE_SSL, ca: env.DATABASE_SSL_CA },
      migrationsRun: env.DATABASE_MIGRATIONS_RUN,
      embedded: { dir: resolve(env.EMBEDDED_DATABASE_DIR), port: env.EMBEDDED_DATABASE_PORT },
    },
    redis: { url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX },
    workers: { mode: env.WORKERS, healthPort: env.WORKER_HEALTH_PORT },
    auth: {
      jwtSecret: env.JWT_SECRET,
      jwtSecretSource,
      accessTokenTtlSeconds: env.JWT_ACCESS_TTL_SECONDS,
      refreshTokenTtlSeconds: env.JWT_REFRESH_TTL_SECONDS,
      bootstrapAdminApiKey: env.BOOTSTRAP_ADMIN_API_KEY,
      bootstrapOnStart: env.BOOTSTRAP_ON_START,
      principalCacheTtlSeconds: env.PRINCIPAL_CACHE_TTL_SECONDS,
      signatureMaxSkewSeconds: env.SIGNATURE_MAX_SKEW_SECONDS,
    },
    rateLimits: {
      default: {
        limit: env.RATE_LIMIT_DEFAULT_LIMIT,
        windowSeconds: env.RATE_LIMIT_DEFAULT_WINDOW_SECONDS,
      },
      expensive: {
        limit: env.RATE_LIMIT_EXPENSIVE_LIMIT,
        windowSeconds: env.RATE_LIMIT_EXPENSIVE_WINDOW_SECONDS,
      },
      login: {
        limit: env.RATE_LIMIT_LOGIN_LIMIT,
        windowSeconds: env.RATE_LIMIT_LOGIN_WINDOW_SECONDS,
      },
      refresh: {
        limit: env.RATE_LIMIT_REFRESH_LIMIT,
        windowSeconds: env.RATE_LIMIT_REFRESH_WINDOW_SECONDS,
      },
      anonymous: {
        limit: env.RATE_LIMIT_ANONYMOUS_LIMIT,
        windowSeconds: env.RATE_LIMIT_ANONYMOUS_WINDOW_SECONDS,
      },
      exemptCidrs: env.RATE_LIMIT_EXEMPT_CIDRS,
    },
    health: {
      heapMaxBytes: env.HEALTH_HEAP_MAX_MB * 1024 * 1024,
      diskPath: env.HEALTH_DISK_PATH,
      diskMaxUsedRatio: env.HEALTH_DISK_MAX_USED_PERCENT / 100,
    },
    datasets: {
      maxBytes: env.DATASET_MAX_BYTES,
      maxColumns: env.DATASET_MAX_COLUMNS,
      maxLineLength: env.DATASET_MAX_LINE_LENGTH,
      maxFieldLength: env.DATASET_MAX_FIELD_LENGTH,
      uploadConcurrency: env.DATASET_UPLOAD_CONCURRENCY,
      uploadQueueLength: env.DATASET_UPLOAD_QUEUE_LENGTH,
      uploadIdleTimeoutMs: env.DATASET_UPLOAD_IDLE_TIMEOUT_MS,
      warmUpBytes: env.DATASET_WARM_UP_BYTES,
      rowsPageMaxBytes: env.DATASET_ROWS_PAGE_MAX_BYTES,
    },
    metrics: {
      cacheTtlSeconds: env.METRICS_CACHE_TTL_SECONDS,
      warmSeries: env.METRICS_CACHE_WARM_SERIES,
      seriesMaxPoints: env.METRICS_SERIES_MAX_POINTS,
    },
    questions: {
      statementTimeoutMs: env.QUESTIONS_STATEMENT_TIMEOUT_MS,
      workMemMb: env.QUESTIONS_WORK_MEM_MB,
      planner: env.QUESTIONS_PLANNER,
    },
    reports: {
      perOrganization: env.REPORTS_PER_ORGANIZATION,
      runsPerHour: env.REPORT_RUNS_PER_HOUR,
      tickMs: env.REPORT_TICK_SECONDS * 1000,
      concurrency: env.REPORT_CONCURRENCY,
      timeoutMs: env.REPORT_TIMEOUT_SECONDS * 1000,
      staleAfterMs: env.REPORT_STALE_SECONDS * 1000,
      catchUpLimit: env.REPORT_CATCH_UP_LIMIT,
      documentMaxBytes: env.REPORT_DOCUMENT_MAX_BYTES,
      retentionDays: env.REPORT_RETENTION_DAYS,
      publicUrl: env.PUBLIC_URL?.replace(/\/+$/, ''),
    },
    webhooks: {
      allowPrivateNetworks: env.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
      allowHttp: env.WEBHOOK_ALLOW_HTTP,
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      retryScheduleMs: env.WEBHOOK_RETRY_SCHEDULE_SECONDS.map((seconds) => seconds * 1000),
    },
    longRequests: {
      perPrincipal: env.LONG_REQUESTS_PER_PRINCIPAL,
      perOrganization: env.LONG_REQUESTS_PER_ORGANIZATION,
      minBytesPerSecond: env.LONG_REQUEST_MIN_BYTES_PER_SECOND,
      rateWindowMs: env.LONG_REQUEST_RATE_WINDOW_SECONDS * 1000,
      maxDurationMs: env.LONG_REQUEST_MAX_SECONDS * 1000,
    },
    llm: toLlmConfig(env),
    telemetry: {
      serviceName: env.OTEL_SERVICE_NAME,
      traces: {
        endpoint: tracesEndpoint(env),
        headers: env.OTEL_EXPORTER_OTLP_HEADERS ?? {},
        timeoutMs: env.OTEL_EXPORTER_OTLP_TIMEOUT,
        sampler: env.OTEL_TRACES_SAMPLER,
        ratio: env.OTEL_TRACES_SAMPLER_ARG,
      },
    },
    analyses: {
      concurrency: env.ANALYSIS_CONCURRENCY,
      timeoutMs: env.ANALYSIS_TIMEOUT_SECONDS * 1000,
      staleAfterMs: env.ANALYSIS_STALE_SECONDS * 1000,
      eventsPollMs: env.ANALYSIS_EVENTS_POLL_MS,
    },
  });
}
