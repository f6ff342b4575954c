import type { NodeEnvironment, OtelSampler, QuestionPlannerSetting } from './config.schema';

export interface HttpConfig {
  host: string;
  port: number;
  /** Default request body limit; routes that take uploads raise their own. */
  bodyLimitBytes: number;
  /** Origins allowed by CORS; empty means no cross-origin browser access. */
  corsOrigins: string[];
  /** Fastify `trustProxy`: whether and which proxies' `X-Forwarded-*` to believe. */
  trustProxy: boolean | number | string[];
  /** Refuse requests that reached the proxy over plain HTTP. */
  enforceHttps: boolean;
  /** How long in-flight requests may run after SIGTERM before the process gives up. */
  shutdownTimeoutMs: number;
}

export interface DatabaseConfig {
  /** Absent: an embedded PostgreSQL is started under `embedded.dir`. */
  url: string | undefined;
  poolSize: number;
  /**
   * Connections exports and uploads may hold at once (at most `poolSize - 1`, so short
   * requests always find one); more wait, then get a 503.
   */
  longRequestConnections: number;
  statementTimeoutMs: number;
  connectTimeoutMs: number;
  ssl: { mode: 'disable' | 'require' | 'verify-full'; ca: string | undefined };
  migrationsRun: boolean;
  embedded: { dir: string; port: number };
}

/**
 * `configured`: JWT_SECRET (or the test profile's constant); `generated-kept`: development's
 * random secret kept beside the embedded database; `generated-per-start`: development with
 * an external database, a new secret each start.
 */
export type JwtSecretSource = 'configured' | 'generated-kept' | 'generated-per-start';

export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

/**
 * The model behind the agents, one shape per provider, so a key or URL exists exactly
 * where that provider uses it.
 */
export type LlmConfig = {
  /** Model calls one process makes at once (the SDK has no cap of its own); more wait. */
  maxConcurrency: number;
} & (
  | { provider: 'builtin' }
  | {
      provider: 'openai';
      /** The model every agent is given (`LLM_MODEL`, default `gpt-4.1-mini`). */
      model: string;
      apiKey: string;
      /** Also send the SDK's traces to OpenAI's dashboard (`LLM_TRACE_EXPORT`). */
      traceExport: boolean;
    }
  | {
      provider: 'openai-compatible';
      model: string;
      /** Chat Completions base URL, e.g. `http://127.0.0.1:11434/v1`. */
      baseUrl: string;
      /** Sent as the bearer token; absent for servers that want none. */
      apiKey: string | undefined;
    }
);

/** Where spans go over OTLP/HTTP (JSON); without an endpoint, to whatever the process registered. */
export interface TelemetryConfig {
  /** `service.name` of every span. */
  serviceName: string;
  traces: {
    /** The collector's traces URL (`…/v1/traces`); absent: no exporter of our own. */
    endpoint: string | undefined;
    headers: Record<string, string>;
    /** Longest one export may take (each batch, and the last flush at shutdown). */
    timeoutMs: number;
    /** Which traces are recorded: `OTEL_TRACES_SAMPLER`, with `ratio` for the ratio ones. */
    sampler: OtelSampler;
    ratio: number;
  };
}

export interface AppConfigShape {
  environment: NodeEnvironment;
  http: HttpConfig;
  log: { level: string; pretty: boolean };
  database: DatabaseConfig;
  redis: { url: string | undefined; keyPrefix: string };
  workers: { mode: 'inline' | 'off'; healthPort: number };
  auth: {
    jwtSecret: string;
    /** Where `jwtSecret` came from; `generated-per-start` means sessions end at restart. */
    jwtSecretSource: JwtSecretSource;
    accessTokenTtlSeconds: number;
    refreshTokenTtlSeconds: number;
    /** Used as the first admin key on an empty database instead of a generated one. */
    bootstrapAdminApiKey: string | undefined;
    /** Create the first organization and admin key when the database has none. */
    bootstrapOnStart: boolean;
    /** How long a resolved principal is cached; revocation also deletes the entry at once. */
    principalCacheTtlSeconds: number;
    signatureMaxSkewSeconds: number;
  };
  rateLimits: {
    default: RateLimit;
    expensive: RateLimit;
    login: RateLimit;
    refresh: RateLimit;
    /** Failed authentications (401) and unknown routes (404), per client IP. */
    anonymous: RateLimit;
    /** Callers from these IPs/CIDRs are never limited (internal networks). */
    exemptCidrs: string[];
  };
  health: { heapMaxBytes: number; diskPath: string; diskMaxUsedRatio: number };
  datasets: {
    /** Limits of one CSV upload; going over any is a 413. */
    maxBytes: number;
    maxColumns: number;
    /** Characters of one physical line / one field. */
    maxLineLength: number;
    maxFieldLength: number;
    /** Uploads one process loads at once (each holds a database connection); more wait. */
    uploadConcurrency: number;
    /** Uploads that may wait for one of those slots; more are refused (503). */
    uploadQueueLength: number;
    /** An upload whose bytes stop arriving for this long is dropped (and its connection). */
    uploadIdleTimeoutMs: number;
    /**
     * Bytes of a generated CSV loaded (and rolled back) at start-up, so the first real upload
     * runs compiled code (0: no warm-up).
     */
    warmUpBytes: number;
    /**
     * Cell bytes one page of `GET /v1/datasets/:id/rows` holds at most: a page stops short
     * of `limit` rather than pass it; a single row over it has its longest cells cut.
     */
    rowsPageMaxBytes: number;
  };
  metrics: {
    /** Longest a cached metrics read lives; writes invalidate sooner (versioned keys). */
    cacheTtlSeconds: number;
    /** After a write, this many of the organization's most-read series are recomputed (0: off). */
    warmSeries: number;
    /** Most points (buckets × groups) one series may return. */
    seriesMaxPoints: number;
  };
  questions: {
    /**
     * Longest the query answering one question may run (its `statement_timeout`); past it
     * the question is a 503 `query-timeout`, not a slow request holding a connection.
     */
    statementTimeoutMs: number;
    /**
     * Memory each sort or hash of a question's query may use (its `work_mem`, in MiB):
     * a median over a million rows sorts in memory instead of spilling to disk.
     */
    workMemMb: number;
    /**
     * Who reads a question (`QUESTIONS_PLANNER`): `auto` (the default) takes the builtin
     * planner's plan when it is sure of it and asks the model otherwise; `builtin` never asks
     * the model; `model` always does. With `LLM_PROVIDER=builtin` only the builtin planner runs.
     */
    planner: QuestionPlannerSetting;
  };
  reports: {
    /** Most report definitions one organization may have; more is a 429. */
    perOrganization: number;
    /** Most runs (scheduled and on demand) one organization may start per hour; more is a 429. */
    runsPerHour: number;
    /** How often each background process looks for due runs. */
    tickMs: number;
    /** Report runs one consuming process generates at once. */
    concurrency: number;
    /** Longest one run may take to generate its documents. */
    timeoutMs: number;
    /** A running run whose worker has not reported for this long is finished elsewhere. */
    staleAfterMs: number;
    /** Most missed due times one report catches up with `catchUp: all`. */
    catchUpLimit: number;
    /** Largest document one run may store; a bigger one fails the run. */
    documentMaxBytes: number;
    /** Runs and their documents older than this many days are deleted. */
    retentionDays: number;
    /** Where clients reach the api (`PUBLIC_URL`), for the links a webhook carries; absent: paths. */
    publicUrl: string | undefined;
  };
  /** Outgoing webhooks (report deliveries). */
  webhooks: {
    /** Deliver to loopback, private, link-local and metadata addresses (never in production by default). */
    allowPrivateNetworks: boolean;
    /** Deliver over plain http (https only in production by default). */
    allowHttp: boolean;
    /** Longest one delivery attempt may take, connection and response. */
    timeoutMs: number;
    /** The wait after each failed attempt (±20 %); after the last, the delivery gives up. */
    retryScheduleMs: number[];
  };
  /**
   * Exports, event streams and uploads one process serves at once per caller and per
   * organization; over either, a 429.
   */
  longRequests: {
    perPrincipal: number;
    perOrganization: number;
    /** Exports and uploads slower than this while waiting on their client are aborted. */
    minBytesPerSecond: number;
    rateWindowMs: number;
    /** Longest an export or an upload may take. */
    maxDurationMs: number;
  };
  llm: LlmConfig;
  telemetry: TelemetryConfig;
  analyses: {
    /** Analyses one consuming process runs at once. */
    concurrency: number;
    /** Longest one analysis may run (each agent is bounded by it too). */
    timeoutMs: number;
    /** A running analysis whose worker has not reported for this long is retried elsewhere. */
    staleAfterMs: number;
    /**
     * An event stream re-reads the log this often even without a notification (a safety
     * net: new events are announced by NOTIFY).
     */
    eventsPollMs: number;
  };
}

/**
 * The validated, typed configuration. Injected by class, so a service asks for
 * `AppConfig` and never reads `process.env` itself.
 */
export class AppConfig implements AppConfigShape {
  readonly environment!: NodeEnvironment;
  readonly http!: HttpConfig;
  readonly longRequests!: AppConfigShape['longRequests'];
  readonly log!: AppConfigShape['log'];
  readonly database!: DatabaseConfig;
  readonly redis!: AppConfigShape['redis'];
  readonly workers!: AppConfigShape['workers'];
  readonly auth!: AppConfigShape['auth'];
  readonly health!: AppConfigShape['health'];
  readonly rateLimits!: AppConfigShape['rateLimits'];
  readonly datasets!: AppConfigShape['datasets'];
  readonly metrics!: AppConfigShape['metrics'];
  readonly questions!: AppConfigShape['questions'];
  readonly llm!: LlmConfig;
  readonly telemetry!: TelemetryConfig;
  readonly analyses!: AppConfigShape['analyses'];
  readonly reports!: AppConfigShape['reports'];
  readonly webhooks!: AppConfigShape['webhooks'];

  constructor(shape: AppConfigShape) {
    Object.assign(this, shape);
  }

  get isProduction(): boolean {
    return this.environment === 'production';
  }
}
