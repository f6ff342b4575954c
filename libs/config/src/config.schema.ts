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

const commaList = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);

/**
 * `true`/`false`, a hop count, or a comma list of proxy addresses or CIDR ranges,
 * in the forms Fastify's `trustProxy` accepts.
 */
const trustProxy = z.string().transform((value, context): boolean | number | string[] => {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim());
  const invalid = entries.filter((entry) => {
    const [address, prefix] = entry.split('/');
    const version = isIP(address ?? '');
    if (version === 0) return true;
    if (prefix === undefined) return false;
    const bits = Number(prefix);
    return !/^\d+$/.test(prefix) || bits > (version === 4 ? 32 : 128);
  });
  if (invalid.length > 0) {
    context.addIssue({
      code: 'custom',
      message: `must be true, false, a hop count or a list of IPs/CIDRs (bad: ${invalid.join(', ')})`,
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

  HEALTH_HEAP_MAX_MB: integer(16, 1_048_576),
  HEALTH_DISK_PATH: z.string().min(1),
  HEALTH_DISK_MAX_USED_PERCENT: integer(1, 100),
});

export type ValidatedEnvironment = z.infer<typeof environmentSchema>;

/** Variables whose value may instead be read from the file named by `NAME_FILE`. */
export const ENVIRONMENT_VARIABLES = Object.keys(environmentSchema.shape) as Array<
  keyof ValidatedEnvironment
>;
