import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  ENVIRONMENT_VARIABLES,
  environmentSchema,
  LLM_PROVIDERS,
  type LlmProvider,
  NODE_ENVIRONMENTS,
  type NodeEnvironment,
  type ValidatedEnvironment,
} from './config.schema';
import { DEFAULT_OPENAI_MODEL, defaultsFor } from './config.defaults';
import { AppConfig, type JwtSecretSource, type LlmConfig } from './app-config';
import { developmentSecretPath, keptSecret, perStartSecret } from './development-secret';

/** Thrown when the environment does not describe a runnable service; lists every problem. */
export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

type Environment = Record<string, string | undefined>;

function isNodeEnvironment(value: string | undefined): value is NodeEnvironment {
  return (NODE_ENVIRONMENTS as readonly string[]).includes(value ?? '');
}

/**
 * Resolves each variable from `NAME` or from the file named by `NAME_FILE`
 * (Docker and Kubernetes secrets), never both. Empty values count as unset.
 */
function readVariables(environment: Environment, problems: string[]): Environment {
  const values: Environment = {};
  for (const name of ENVIRONMENT_VARIABLES) {
    const direct = environment[name];
    const filePath = environment[`${name}_FILE`];
    const hasDirect = direct !== undefined && direct !== '';
    const hasFile = filePath !== undefined && filePath !== '';
    if (hasDirect && hasFile) {
      problems.push(`${name}: set either ${name} or ${name}_FILE, not both`);
      continue;
    }
    if (hasFile) {
      try {
        values[name] = readFileSync(resolve(filePath), 'utf8').replace(/\r?\n$/, '');
      } catch (error) {
        // Not `instanceof Error`: errors from Node's own modules fail it inside jest's sandbox.
        const code =
          typeof error === 'object' && error !== null
            ? (error as { code?: unknown }).code
            : undefined;
        const reason = typeof code === 'string' ? code : 'unreadable';
        problems.push(`${name}_FILE: cannot read ${filePath} (${reason})`);
      }
      continue;
    }
    if (hasDirect) values[name] = direct;
  }
  return values;
}

/**
 * Rules that hold only in production, checked on the raw values so they are
 * reported alongside every other problem (a schema refinement would be skipped
 * whenever a field is missing).
 */
function productionProblems(values: Environment): string[] {
  if (values.NODE_ENV !== 'production') return [];
  const problems: string[] = [];
  if (values.DATABASE_URL === undefined) {
    problems.push(
      'DATABASE_URL: is required in production (the embedded database is for one machine only)',
    );
  }
  if (values.JWT_SECRET?.startsWith('insecure-') === true) {
    problems.push('JWT_SECRET: is required in production (set JWT_SECRET or JWT_SECRET_FILE)');
  }
  return problems;
}

/**
 * Development without `JWT_SECRET`: a random secret, never a published constant. With the
 * embedded database it is kept beside the data, so sessions survive a restart; with an
 * external database there is nowhere of ours to keep it, so it lasts one process.
 */
function developmentJwtSecret(values: Environment, problems: string[]): JwtSecretSource {
  const { NODE_ENV: environment, JWT_SECRET: configured } = values;
  if (configured !== undefined || environment === 'test' || environment === 'production') {
    return 'configured';
  }
  // An unknown NODE_ENV is refused on its own; keep nothing on disk for it.
  if (values.DATABASE_URL !== undefined || environment !== 'development') {
    values.JWT_SECRET = perStartSecret();
    return 'generated-per-start';
  }
  const kept = keptSecret(developmentSecretPath(resolve(values.EMBEDDED_DATABASE_DIR ?? '.')));
  if ('problem' in kept) problems.push(`JWT_SECRET: ${kept.problem}`);
  // On a problem the configuration is refused; a stand-in keeps the schema from adding another.
  values.JWT_SECRET = 'secret' in kept ? kept.secret : perStartSecret();
  return 'generated-kept';
}

/**
 * `LLM_PROVIDER` when it is not set: OpenAI when there is a key for it, else the
 * OpenAI-compatible server when there is a URL, else the builtin model. The reason is
 * quoted in errors, so a surprising choice explains itself.
 */
function inferLlmProvider(values: Environment): { provider: LlmProvider; reason: string } {
  if (values.OPENAI_API_KEY !== undefined) {
    return { provider: 'openai', reason: 'chosen because OPENAI_API_KEY is set' };
  }
  if (values.LLM_BASE_URL !== undefined) {
    return { provider: 'openai-compatible', reason: 'chosen because LLM_BASE_URL is set' };
  }
  return {
    provider: 'builtin',
    reason: 'chosen because neither OPENAI_API_KEY nor LLM_BASE_URL is set',
  };
}

function isLlmProvider(value: string | undefined): value is LlmProvider {
  return (LLM_PROVIDERS as readonly string[]).includes(value ?? '');
}

/**
 * Which model variables each provider needs and which it would silently ignore,
 * checked on the raw values like the production rules. A variable another provider
 * uses is an error rather than ignored: it usually means the provider is not the one
 * the operator meant.
 */
function llmProblems(values: Environment, reason: string | undefined): string[] {
  const provider = values.LLM_PROVIDER;
  // A bad LLM_PROVIDER is the schema's to report.
  if (!isLlmProvider(provider)) return [];
  const which = `LLM_PROVIDER is ${provider}${reason === undefined ? '' : `, ${reason}`}`;
  const problems: string[] = [];
  const set = (name: string) => values[name] !== undefined;
  if (provider === 'openai' && !set('OPENAI_API_KEY')) {
    problems.push(
      'OPENAI_API_KEY: is required when LLM_PROVIDER is openai (set OPENAI_API_KEY or OPENAI_API_KEY_FILE)',
    );
  }
  if (provider === 'openai-compatible') {
    if (!set('LLM_BASE_URL')) {
      problems.push(
        `LLM_BASE_URL: is required when ${which} (the server's Chat Completions base URL, e.g. http://127.0.0.1:11434/v1)`,
      );
    }
    if (!set('LLM_MODEL')) {
      problems.push(`LLM_MODEL: is required when ${which} (the model name the server serves)`);
    }
  } else {
    for (const name of ['LLM_BASE_URL', 'LLM_API_KEY']) {
      if (set(name)) {
        problems.push(`${name}: applies only to LLM_PROVIDER=openai-compatible (${which})`);
      }
    }
  }
  if (provider === 'builtin' && set('LLM_MODEL')) {
    problems.push(`LLM_MODEL: does not apply to the builtin model (${which})`);
  }
  // Asking for the model planner without a model would silently answer with the builtin one.
  if (provider === 'builtin' && values.QUESTIONS_PLANNER === 'model') {
    problems.push(`QUESTIONS_PLANNER: model needs a model behind the agents (${which})`);
  }
  const traceExport = values.LLM_TRACE_EXPORT;
  if (
    provider !== 'openai' &&
    (traceExport === 'true' || traceExport === '1' || traceExport === 'yes')
  ) {
    problems.push(
      `LLM_TRACE_EXPORT: applies only to LLM_PROVIDER=openai (traces go to OpenAI with OPENAI_API_KEY; ${which})`,
    );
  }
  return problems;
}

/** A value the cross-field rules above have required; missing here is a bug in them. */
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

function toAppConfig(env: ValidatedEnvironment, jwtSecretSource: JwtSecretSource): AppConfig {
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

/**
 * Validates the whole environment once and returns the typed configuration,
 * or throws a {@link ConfigValidationError} naming every bad variable.
 */
export function loadConfig(environment: Environment): AppConfig {
  const problems: string[] = [];
  const requested = environment.NODE_ENV === '' ? undefined : environment.NODE_ENV;
  const nodeEnvironment = requested ?? 'development';
  const defaults = defaultsFor(
    isNodeEnvironment(nodeEnvironment) ? nodeEnvironment : 'development',
  );
  const values: Environment = {
    ...defaults,
    NODE_ENV: nodeEnvironment,
    ...readVariables(environment, problems),
  };
  if (requested === undefined) values.NODE_ENV = nodeEnvironment;
  let inferredBecause: string | undefined;
  if (values.LLM_PROVIDER === undefined) {
    const inferred = inferLlmProvider(values);
    values.LLM_PROVIDER = inferred.provider;
    inferredBecause = inferred.reason;
  }

  problems.push(...productionProblems(values));
  problems.push(...llmProblems(values, inferredBecause));
  const jwtSecretSource = developmentJwtSecret(values, problems);
  const parsed = environmentSchema.safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = issue.path.join('.') || 'environment';
      const message =
        issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
      problems.push(`${name}: ${message}`);
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigValidationError(problems);
  return toAppConfig(parsed.data, jwtSecretSource);
}
