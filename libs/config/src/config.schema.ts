import { isIP } from 'node:net';
import { z } from 'zod';

/** The environments Sightline knows; each has its own defaults. */
export const NODE_ENVIRONMENTS = ['development', 'test', 'production'] as const;
export type NodeEnvironment = (typeof NODE_ENVIRONMENTS)[number];

const booleanString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], {
    error: 'must be one of true, false, 1, 0, yes, no',
  })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: 'must be a whole number' })
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(min, { error: `must be at least ${min}` })
        .max(max, { error: `must be at most ${max}` }),
    );

const postgresUrl = z
  .string()
  .refine((value) => /^postgres(ql)?:\/\/[^\s]+$/.test(value) && URL.canParse(value), {
    error: 'must be a postgres:// or postgresql:// URL',
  });

const redisUrl = z
  .string()
  .refine((value) => /^rediss?:\/\/[^\s]+$/.test(value) && URL.canParse(value), {
    error: 'must be a redis:// or rediss:// URL',
  });

/** An http:// or https:// URL (a model server's base URL, e.g. `http://127.0.0.1:11434/v1`). */
const httpUrl = z
  .string()
  .refine((value) => /^https?:\/\/[^\s]+$/.test(value) && URL.canParse(value), {
    error: 'must be an http:// or https:// URL',
  });

/**
 * OpenTelemetry's `key=value,key=value` header list (values percent-encoded), e.g. an
 * OTLP collector's `authorization=Bearer%20...`.
 */
const otlpHeaders = z.string().transform((value, context): Record<string, string> => {
  const headers: Record<string, string> = {};
  for (const entry of value.split(',')) {
    if (entry.trim() === '') continue;
    const equals = entry.indexOf('=');
    const name = entry.slice(0, Math.max(equals, 0)).trim();
    let decoded: string | undefined;
    try {
      decoded = decodeURIComponent(entry.slice(equals + 1).trim());
    } catch {
      decoded = undefined;
    }
    if (equals <= 0 || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name) || decoded === undefined) {
      const shown = name === '' ? entry.trim().slice(0, 40) : name;
      context.addIssue({
        code: 'custom',
        message: `must be a comma list of name=value (percent-encoded values); bad entry: ${shown}`,
      });
      return z.NEVER;
    }
    headers[name.toLowerCase()] = decoded;
  }
  return headers;
});

/** OpenTelemetry's sampler names (`OTEL_TRACES_SAMPLER`), those of its SDK. */
export const OTEL_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
export type OtelSampler = (typeof OTEL_SAMPLERS)[number];

/** Where the agents' model comes from (ARCHITECTURE.md, "Agents and models"). */
export const LLM_PROVIDERS = ['builtin', 'openai', 'openai-compatible'] as const;
export type LlmProvider = (typeof LLM_PROVIDERS)[number];

/** Who reads a question: `auto` tries the builtin planner first, then the model. */
export const QUESTION_PLANNERS = ['auto', 'builtin', 'model'] as const;
export type QuestionPlannerSetting = (typeof QUESTION_PLANNERS)[number];

const commaList = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);

/** An IP address, or an address with a prefix length (`10.0.0.0/8`, `::1/128`). */
function isCidr(entry: string): boolean {
  const [address, prefix] = entry.split('/');
  const version = isIP(address ?? '');
  if (version === 0) return false;
  if (prefix === undefined) return true;
  return /^\d+$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

/**
 * `true`/`false`, a hop count, or a comma list of proxy addresses or CIDR ranges,
 * in the forms Fastify's `trustProxy` accepts.
 */
const trustProxy = z.string().transform((value, context): boolean | number | string[] => {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim());
  const invalid = entries.filter((entry) => !isCidr(entry));
  if (invalid.length > 0) {
    context.addIssue({
      code: 'custom',
      message: `must be true, false, a hop count or a list of IPs/CIDRs (bad: ${invalid.join(', ')})`,
    });
    return z.NEVER;
  }
  return entries;
});

/** Comma list of IPs or CIDR ranges (empty allowed). */
/** Whole seconds, comma-separated and each at least 1: `5,300,1800`. */
const secondsList = z.string().transform((value, context): number[] => {
  const entries = value.split(',').map((entry) => entry.trim());
  if (entries.length === 0 || entries.some((entry) => !/^[1-9]\d{0,6}$/.test(entry))) {
    context.addIssue({
      code: 'custom',
      message: 'must be a comma list of whole seconds from 1, e.g. 5,300,1800',
    });
    return z.NEVER;
  }
  return entries.map(Number);
});

const cidrList = z.string().transform((value, context): string[] => {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const invalid = entries.filter((entry) => !isCidr(entry));
  if (invalid.length > 0) {
    context.addIssue({
      code: 'custom',
      message: `must be a comma list of IPs/CIDRs (bad: ${invalid.join(', ')})`,
    });
    return z.NEVER;
  }
  return entries;
});

/**
 * Every environment variable Sightline reads, validated in one pass.
 * Values arrive as strings (from the environment or a `NAME_FILE`), after the
 * per-environment defaults in `config.defaults.ts` have been applied.
 */
export const environmentSchema = z.object({
  NODE_ENV: z.enum(NODE_ENVIRONMENTS, { error: 'must be development, test or production' }),
  HOST: z.string().min(1),
  PORT: integer(0, 65535),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    error: 'must be one of fatal, error, warn, info, debug, trace, silent',
  }),
  LOG_PRETTY: booleanString,

  DATABASE_URL: postgresUrl.optional(),
  DATABASE_POOL_SIZE: integer(1, 200),
  DATABASE_LONG_REQUEST_CONNECTIONS: integer(1, 200),
  DATABASE_STATEMENT_TIMEOUT_MS: integer(0, 3_600_000),
  DATABASE_CONNECT_TIMEOUT_MS: integer(100, 120_000),
  DATABASE_SSL: z.enum(['disable', 'require', 'verify-full'], {
    error: 'must be disable, require or verify-full',
  }),
  DATABASE_SSL_CA: z.string().optional(),
  DATABASE_MIGRATIONS_RUN: booleanString,
  EMBEDDED_DATABASE_DIR: z.string().min(1),
  EMBEDDED_DATABASE_PORT: integer(1, 65535),

  REDIS_URL: redisUrl.optional(),

  WORKERS: z.enum(['inline', 'off'], { error: 'must be inline or off' }),
  WORKER_HEALTH_PORT: integer(0, 65535),

  CORS_ORIGINS: commaList,
  TRUST_PROXY: trustProxy,
  ENFORCE_HTTPS: booleanString,
  BODY_LIMIT_BYTES: integer(1024, 1024 * 1024 * 1024),
  SHUTDOWN_TIMEOUT_MS: integer(0, 600_000),

  JWT_SECRET: z.string().min(32, { error: 'must be at least 32 characters' }),
  JWT_ACCESS_TTL_SECONDS: integer(30, 86_400),
  JWT_REFRESH_TTL_SECONDS: integer(300, 31_536_000),
  BOOTSTRAP_ADMIN_API_KEY: z
    .string()
    .regex(/^sl_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}$/, {
      error: 'must be a Sightline API key (sl_<12 letters or digits>_<43 base64url characters>)',
    })
    .optional(),
  BOOTSTRAP_ON_START: booleanString,
  PRINCIPAL_CACHE_TTL_SECONDS: integer(1, 3600),
  SIGNATURE_MAX_SKEW_SECONDS: integer(1, 3600),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{0,64}$/, { error: 'must be letters, digits, : _ or - (at most 64)' }),

  RATE_LIMIT_DEFAULT_LIMIT: integer(1, 1_000_000),
  RATE_LIMIT_DEFAULT_WINDOW_SECONDS: integer(1, 86_400),
  RATE_LIMIT_EXPENSIVE_LIMIT: integer(1, 1_000_000),
  RATE_LIMIT_EXPENSIVE_WINDOW_SECONDS: integer(1, 86_400),
  RATE_LIMIT_LOGIN_LIMIT: integer(1, 1_000_000),
  RATE_LIMIT_LOGIN_WINDOW_SECONDS: integer(1, 86_400),
  RATE_LIMIT_REFRESH_LIMIT: integer(1, 1_000_000),
  RATE_LIMIT_REFRESH_WINDOW_SECONDS: integer(1, 86_400),
  RATE_LIMIT_ANONYMOUS_LIMIT: integer(1, 1_000_000),
  RATE_LIMIT_ANONYMOUS_WINDOW_SECONDS: integer(1, 86_400),
  RATE_LIMIT_EXEMPT_CIDRS: cidrList,

  DATASET_MAX_BYTES: integer(1, 64 * 1024 ** 3),
  DATASET_MAX_COLUMNS: integer(1, 1600),
  DATASET_MAX_LINE_LENGTH: integer(16, 256 * 1024 ** 2),
  DATASET_MAX_FIELD_LENGTH: integer(16, 256 * 1024 ** 2),
  DATASET_UPLOAD_CONCURRENCY: integer(1, 64),
  DATASET_UPLOAD_QUEUE_LENGTH: integer(0, 10_000),
  DATASET_UPLOAD_IDLE_TIMEOUT_MS: integer(100, 3_600_000),
  DATASET_WARM_UP_BYTES: integer(0, 256 * 1024 ** 2),
  DATASET_ROWS_PAGE_MAX_BYTES: integer(16 * 1024, 256 * 1024 ** 2),
  METRICS_CACHE_TTL_SECONDS: integer(1, 86_400),
  METRICS_CACHE_WARM_SERIES: integer(0, 100),
  METRICS_SERIES_MAX_POINTS: integer(10, 1_000_000),
  QUESTIONS_STATEMENT_TIMEOUT_MS: integer(100, 600_000),
  QUESTIONS_WORK_MEM_MB: integer(1, 4096),
  QUESTIONS_PLANNER: z.enum(QUESTION_PLANNERS, { error: 'must be auto, builtin or model' }),
  ANALYSIS_CONCURRENCY: integer(1, 64),
  ANALYSIS_TIMEOUT_SECONDS: integer(1, 3600),
  ANALYSIS_STALE_SECONDS: integer(2, 3600),
  ANALYSIS_EVENTS_POLL_MS: integer(100, 600_000),
  REPORTS_PER_ORGANIZATION: integer(1, 100_000),
  REPORT_RUNS_PER_HOUR: integer(1, 1_000_000),
  REPORT_TICK_SECONDS: integer(1, 3600),
  REPORT_CONCURRENCY: integer(1, 64),
  REPORT_TIMEOUT_SECONDS: integer(1, 3600),
  REPORT_STALE_SECONDS: integer(2, 3600),
  REPORT_CATCH_UP_LIMIT: integer(1, 10_000),
  REPORT_DOCUMENT_MAX_BYTES: integer(1024, 1024 ** 3),
  REPORT_RETENTION_DAYS: integer(1, 36_500),
  PUBLIC_URL: httpUrl.optional(),
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: booleanString,
  WEBHOOK_ALLOW_HTTP: booleanString,
  WEBHOOK_TIMEOUT_MS: integer(100, 120_000),
  WEBHOOK_RETRY_SCHEDULE_SECONDS: secondsList,
  LONG_REQUESTS_PER_PRINCIPAL: integer(1, 10_000),
  LONG_REQUESTS_PER_ORGANIZATION: integer(1, 100_000),
  LONG_REQUEST_MIN_BYTES_PER_SECOND: integer(0, 1024 ** 3),
  LONG_REQUEST_RATE_WINDOW_SECONDS: integer(1, 3600),
  LONG_REQUEST_MAX_SECONDS: integer(1, 86_400),

  // Cross-field rules (which provider needs which variable) live in load-config.ts.
  LLM_PROVIDER: z.enum(LLM_PROVIDERS, { error: 'must be builtin, openai or openai-compatible' }),
  OPENAI_API_KEY: z.string().optional(),
  LLM_BASE_URL: httpUrl.optional(),
  LLM_API_KEY: z.string().optional(),
  LLM_MODEL: z
    .string()
    .regex(/^\S{1,200}$/, { error: 'must be a model name (no spaces, at most 200 characters)' })
    .optional(),
  LLM_MAX_CONCURRENCY: integer(1, 1000),
  LLM_TRACE_EXPORT: booleanString,

  // OpenTelemetry's own variable names, so a collector set up for other services fits.
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: httpUrl.optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl.optional(),
  OTEL_EXPORTER_OTLP_HEADERS: otlpHeaders.optional(),
  OTEL_EXPORTER_OTLP_TIMEOUT: integer(100, 600_000),
  OTEL_TRACES_SAMPLER: z.enum(OTEL_SAMPLERS, {
    error: `must be one of ${OTEL_SAMPLERS.join(', ')}`,
  }),
  OTEL_TRACES_SAMPLER_ARG: z
    .string()
    .regex(/^(0(\.\d+)?|1(\.0+)?)$/, { error: 'must be a ratio from 0 to 1, e.g. 0.25' })
    .transform(Number),
  OTEL_SERVICE_NAME: z
    .string()
    .regex(/^\S{1,100}$/, { error: 'must be a name without spaces (at most 100 characters)' }),

  HEALTH_HEAP_MAX_MB: integer(16, 1_048_576),
  HEALTH_DISK_PATH: z.string().min(1),
  HEALTH_DISK_MAX_USED_PERCENT: integer(1, 100),
});

export type ValidatedEnvironment = z.infer<typeof environmentSchema>;

/** Variables whose value may instead be read from the file named by `NAME_FILE`. */
export const ENVIRONMENT_VARIABLES = Object.keys(environmentSchema.shape) as Array<
  keyof ValidatedEnvironment
>;
