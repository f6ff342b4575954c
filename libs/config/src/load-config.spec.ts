import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError, loadConfig } from './load-config';

type Environment = Record<string, string | undefined>;

const SECRET = 'a-production-secret-of-at-least-32-chars';
const DATABASE_URL = 'postgres://sightline:pw@db.internal:5432/sightline';
const production: Environment = { NODE_ENV: 'production', DATABASE_URL, JWT_SECRET: SECRET };

/** The error loadConfig throws for `environment`; fails the test if it does not throw one. */
function rejectionOf(environment: Environment): ConfigValidationError {
  try {
    loadConfig(environment);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to reject the environment');
}

function problemsOf(environment: Environment): string[] {
  return rejectionOf(environment).problems;
}

describe('loadConfig', () => {
  describe('defaults per NODE_ENV', () => {
    it('starts development with no variables at all: pretty debug logs, embedded database', () => {
      const config = loadConfig({});

      expect(config.environment).toBe('development');
      expect(config.isProduction).toBe(false);
      expect(config.log).toEqual({ level: 'debug', pretty: true });
      expect(config.http.port).toBe(3000);
      expect(config.http.enforceHttps).toBe(false);
      expect(config.http.corsOrigins).toEqual(['http://localhost:3000']);
      expect(config.database.url).toBeUndefined();
      expect(config.database.poolSize).toBe(10);
      expect(config.auth.jwtSecret).toMatch(/^insecure-/);
    });

    it('gives test an ephemeral port and quiet logs', () => {
      const config = loadConfig({ NODE_ENV: 'test' });

      expect(config.environment).toBe('test');
      expect(config.http.port).toBe(0);
      expect(config.workers.healthPort).toBe(0);
      expect(config.log).toEqual({ level: 'warn', pretty: false });
      expect(config.database.poolSize).toBe(4);
    });

    it('enforces HTTPS in production and uses the given secrets', () => {
      const config = loadConfig(production);

      expect(config.environment).toBe('production');
      expect(config.isProduction).toBe(true);
      expect(config.http.enforceHttps).toBe(true);
      expect(config.log).toEqual({ level: 'info', pretty: false });
      expect(config.database.url).toBe(DATABASE_URL);
      expect(config.database.poolSize).toBe(20);
      expect(config.auth.jwtSecret).toBe(SECRET);
      expect(config.http.corsOrigins).toEqual([]);
    });

    it('rejects an unknown NODE_ENV', () => {
      expect(problemsOf({ NODE_ENV: 'staging' })).toEqual([
        'NODE_ENV: must be development, test or production',
      ]);
    });
  });

  describe('production requirements', () => {
    it('requires JWT_SECRET', () => {
      const error = rejectionOf({ NODE_ENV: 'production', DATABASE_URL });

      expect(error.problems).toEqual([expect.stringMatching(/^JWT_SECRET: /)]);
      expect(error.message).toContain('JWT_SECRET');
    });

    it('requires DATABASE_URL', () => {
      const error = rejectionOf({ NODE_ENV: 'production', JWT_SECRET: SECRET });

      expect(error.problems).toEqual([expect.stringMatching(/^DATABASE_URL: is required/)]);
      expect(error.message).toContain('DATABASE_URL');
    });

    it('refuses the insecure development secret', () => {
      const problems = problemsOf({
        ...production,
        JWT_SECRET: 'insecure-development-secret-change-me-0000000000',
      });

      expect(problems).toEqual([expect.stringMatching(/^JWT_SECRET: is required in production/)]);
    });

    it('lists a bad JWT_SECRET and a missing DATABASE_URL in one message', () => {
      const error = rejectionOf({ NODE_ENV: 'production', JWT_SECRET: 'too-short' });

      expect(error.name).toBe('ConfigValidationError');
      expect(error.problems).toHaveLength(2);
      expect(error.problems).toEqual(
        expect.arrayContaining([
          'JWT_SECRET: must be at least 32 characters',
          expect.stringMatching(/^DATABASE_URL: is required in production/),
        ]),
      );
      expect(error.message).toMatch(/^Invalid configuration:\n/);
      for (const problem of error.problems) expect(error.message).toContain(`  - ${problem}`);
    });
  });

  describe('validation of single variables', () => {
    it('names DATABASE_URL when it is not a postgres URL', () => {
      expect(problemsOf({ DATABASE_URL: 'nonsense' })).toEqual([
        'DATABASE_URL: must be a postgres:// or postgresql:// URL',
      ]);
    });

    it('accepts a postgresql:// DATABASE_URL', () => {
      const url = 'postgresql://u:p@localhost:5432/db';
      expect(loadConfig({ DATABASE_URL: url }).database.url).toBe(url);
    });

    it.each([
      ['abc', 'PORT: must be a whole number'],
      ['70000', 'PORT: must be at most 65535'],
      ['-1', 'PORT: must be a whole number'],
    ])('names PORT=%s', (port, problem) => {
      expect(problemsOf({ PORT: port })).toEqual([problem]);
    });

    it('parses PORT as a number', () => {
      expect(loadConfig({ PORT: '8080' }).http.port).toBe(8080);
    });

    it('names a bad LOG_LEVEL', () => {
      expect(problemsOf({ LOG_LEVEL: 'loud' })).toEqual([
        'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent',
      ]);
    });

    it('lists every bad variable at once', () => {
      const error = rejectionOf({
        DATABASE_URL: 'nonsense',
        PORT: 'abc',
        LOG_LEVEL: 'loud',
        REDIS_URL: 'http://cache',
      });

      const named = error.problems.map((problem) => problem.split(':')[0]).sort();
      expect(named).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT', 'REDIS_URL']);
      for (const name of named) expect(error.message).toContain(`  - ${name}: `);
    });

    it('converts HEALTH_DISK_MAX_USED_PERCENT to a ratio', () => {
      expect(loadConfig({ HEALTH_DISK_MAX_USED_PERCENT: '90' }).health.diskMaxUsedRatio).toBe(0.9);
    });

    it('converts HEALTH_HEAP_MAX_MB to bytes', () => {
      expect(loadConfig({ HEALTH_HEAP_MAX_MB: '512' }).health.heapMaxBytes).toBe(512 * 1024 * 1024);
    });

    it('splits CORS_ORIGINS on commas, trimming and dropping empty entries', () => {
      const config = loadConfig({ CORS_ORIGINS: ' https://a.example ,https://b.example, ,' });

      expect(config.http.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    });
  });

  describe('TRUST_PROXY', () => {
    it.each([
      ['true', true],
      ['false', false],
      ['2', 2],
      ['10.0.0.0/8,127.0.0.1', ['10.0.0.0/8', '127.0.0.1']],
      ['10.0.0.0/8, ::1', ['10.0.0.0/8', '::1']],
    ])('parses %s', (value, expected) => {
      expect(loadConfig({ TRUST_PROXY: value }).http.trustProxy).toEqual(expected);
    });

    it.each(['10.0.0.0/33', 'banana', '::1/129', '10.0.0.0/x'])('rejects %s', (value) => {
      expect(problemsOf({ TRUST_PROXY: value })).toEqual([
        `TRUST_PROXY: must be true, false, a hop count or a list of IPs/CIDRs (bad: ${value})`,
      ]);
    });
  });

  describe('the model behind the agents (LLM_*)', () => {
    const BASE_URL = 'http://127.0.0.1:11434/v1';
    const OPENAI_KEY = 'sk-test-0000000000000000';

    it('uses the builtin model when neither a key nor a URL is set', () => {
      expect(loadConfig({}).llm).toEqual({ provider: 'builtin', maxConcurrency: 8 });
    });

    it('chooses openai when OPENAI_API_KEY is set, with the default model and no trace export', () => {
      expect(loadConfig({ OPENAI_API_KEY: OPENAI_KEY }).llm).toEqual({
        provider: 'openai',
        model: 'gpt-4.1-mini',
        apiKey: OPENAI_KEY,
        traceExport: false,
        maxConcurrency: 8,
      });
    });

    it('takes the openai model, concurrency and trace export when given', () => {
      const config = loadConfig({
        OPENAI_API_KEY: OPENAI_KEY,
        LLM_MODEL: 'gpt-4.1',
        LLM_MAX_CONCURRENCY: '3',
        LLM_TRACE_EXPORT: 'true',
      });

      expect(config.llm).toMatchObject({
        provider: 'openai',
        model: 'gpt-4.1',
        maxConcurrency: 3,
        traceExport: true,
      });
    });

    it('chooses openai-compatible when LLM_BASE_URL is set', () => {
      expect(loadConfig({ LLM_BASE_URL: BASE_URL, LLM_MODEL: 'llama3.1:8b' }).llm).toEqual({
        provider: 'openai-compatible',
        baseUrl: BASE_URL,
        model: 'llama3.1:8b',
        apiKey: undefined,
        maxConcurrency: 8,
      });
    });

    it('passes LLM_API_KEY to an openai-compatible server', () => {
      const config = loadConfig({
        LLM_PROVIDER: 'openai-compatible',
        LLM_BASE_URL: BASE_URL,
        LLM_MODEL: 'm',
        LLM_API_KEY: 'local-key',
      });

      expect(config.llm).toMatchObject({ provider: 'openai-compatible', apiKey: 'local-key' });
    });

    it('uses the builtin model in tests even when a key is in the environment', () => {
      const config = loadConfig({ NODE_ENV: 'test', OPENAI_API_KEY: OPENAI_KEY });

      expect(config.llm.provider).toBe('builtin');
    });

    it('lets LLM_PROVIDER=builtin win over a key', () => {
      const config = loadConfig({ LLM_PROVIDER: 'builtin', OPENAI_API_KEY: OPENAI_KEY });

      expect(config.llm.provider).toBe('builtin');
    });

    it('requires LLM_BASE_URL and LLM_MODEL for openai-compatible, naming both', () => {
      expect(problemsOf({ LLM_PROVIDER: 'openai-compatible' }).sort()).toEqual([
        "LLM_BASE_URL: is required when LLM_PROVIDER is openai-compatible (the server's Chat Completions base URL, e.g. http://127.0.0.1:11434/v1)",
        'LLM_MODEL: is required when LLM_PROVIDER is openai-compatible (the model name the server serves)',
      ]);
    });

    it('says why openai-compatible was chosen when its model is missing', () => {
      expect(problemsOf({ LLM_BASE_URL: BASE_URL })).toEqual([
        'LLM_MODEL: is required when LLM_PROVIDER is openai-compatible, chosen because LLM_BASE_URL is set (the model name the server serves)',
      ]);
    });

    it('requires OPENAI_API_KEY for openai', () => {
      expect(problemsOf({ LLM_PROVIDER: 'openai' })).toEqual([
        'OPENAI_API_KEY: is required when LLM_PROVIDER is openai (set OPENAI_API_KEY or OPENAI_API_KEY_FILE)',
      ]);
    });

    it('refuses a base URL and a server key next to an OpenAI key, saying which provider won', () => {
      expect(
        problemsOf({ OPENAI_API_KEY: OPENAI_KEY, LLM_BASE_URL: BASE_URL, LLM_API_KEY: 'k' }),
      ).toEqual([
        'LLM_BASE_URL: applies only to LLM_PROVIDER=openai-compatible (LLM_PROVIDER is openai, chosen because OPENAI_API_KEY is set)',
        'LLM_API_KEY: applies only to LLM_PROVIDER=openai-compatible (LLM_PROVIDER is openai, chosen because OPENAI_API_KEY is set)',
      ]);
    });

    it('refuses LLM_MODEL for the builtin model', () => {
      expect(problemsOf({ LLM_PROVIDER: 'builtin', LLM_MODEL: 'gpt-4.1' })).toEqual([
        'LLM_MODEL: does not apply to the builtin model (LLM_PROVIDER is builtin)',
      ]);
    });

    it('refuses trace export unless the provider is openai', () => {
      const problems = problemsOf({
        LLM_BASE_URL: BASE_URL,
        LLM_MODEL: 'm',
        LLM_TRACE_EXPORT: 'yes',
      });

      expect(problems).toEqual([
        expect.stringMatching(/^LLM_TRACE_EXPORT: applies only to LLM_PROVIDER=openai /),
      ]);
    });

    it.each([
      [{ LLM_PROVIDER: 'anthropic' }, 'LLM_PROVIDER: must be builtin, openai or openai-compatible'],
      [
        { LLM_BASE_URL: 'ftp://models.internal/v1', LLM_MODEL: 'm' },
        'LLM_BASE_URL: must be an http:// or https:// URL',
      ],
      [
        { OPENAI_API_KEY: OPENAI_KEY, LLM_MODEL: 'two words' },
        'LLM_MODEL: must be a model name (no spaces, at most 200 characters)',
      ],
      [{ LLM_MAX_CONCURRENCY: '0' }, 'LLM_MAX_CONCURRENCY: must be at least 1'],
      [
        { LLM_TRACE_EXPORT: 'maybe' },
        'LLM_TRACE_EXPORT: must be one of true, false, 1, 0, yes, no',
      ],
    ])('names a bad value: %o', (environment, problem) => {
      expect(problemsOf(environment)).toEqual([problem]);
    });
  });

  describe('empty values', () => {
    it('treats empty strings as unset, so defaults apply', () => {
      const config = loadConfig({ NODE_ENV: '', PORT: '', LOG_LEVEL: '', DATABASE_URL: '' });

      expect(config.environment).toBe('development');
      expect(config.http.port).toBe(3000);
      expect(config.log.level).toBe('debug');
      expect(config.database.url).toBeUndefined();
    });

    it('still requires JWT_SECRET in production when it is empty', () => {
      expect(problemsOf({ ...production, JWT_SECRET: '' })).toEqual(['JWT_SECRET: is required']);
    });
  });

  describe('NAME_FILE secrets', () => {
    let dir: string;

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'sightline-config-spec-'));
    });

    afterAll(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('reads JWT_SECRET from JWT_SECRET_FILE, without the trailing newline', () => {
      const file = join(dir, 'jwt-secret');
      writeFileSync(file, `${SECRET}\n`);

      const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL, JWT_SECRET_FILE: file });

      expect(config.auth.jwtSecret).toBe(SECRET);
    });

    it('strips a trailing CRLF too', () => {
      const file = join(dir, 'jwt-secret-crlf');
      writeFileSync(file, `${SECRET}\r\n`);

      expect(loadConfig({ JWT_SECRET_FILE: file }).auth.jwtSecret).toBe(SECRET);
    });

    it('reports a missing file by its variable and path', () => {
      const file = join(dir, 'does-not-exist');

      const problems = problemsOf({ JWT_SECRET_FILE: file });

      expect(problems).toEqual([`JWT_SECRET_FILE: cannot read ${file} (ENOENT)`]);
    });

    it('refuses JWT_SECRET and JWT_SECRET_FILE together', () => {
      const file = join(dir, 'jwt-secret-both');
      writeFileSync(file, SECRET);

      const problems = problemsOf({ JWT_SECRET: SECRET, JWT_SECRET_FILE: file });

      expect(problems).toEqual(['JWT_SECRET: set either JWT_SECRET or JWT_SECRET_FILE, not both']);
    });

    it('reads OPENAI_API_KEY from OPENAI_API_KEY_FILE, which then chooses openai', () => {
      const file = join(dir, 'openai-key');
      writeFileSync(file, 'sk-from-a-file\n');

      const config = loadConfig({ OPENAI_API_KEY_FILE: file });

      expect(config.llm).toMatchObject({ provider: 'openai', apiKey: 'sk-from-a-file' });
    });

    it('ignores an empty JWT_SECRET_FILE', () => {
      expect(loadConfig({ JWT_SECRET: SECRET, JWT_SECRET_FILE: '' }).auth.jwtSecret).toBe(SECRET);
    });
  });
});

describe('loadConfig in production with nothing set', () => {
  it('names both the database and the secret, in one error', () => {
    expect(problemsOf({ NODE_ENV: 'production' }).sort()).toEqual([
      'DATABASE_URL: is required in production (the embedded database is for one machine only)',
      'JWT_SECRET: is required',
    ]);
  });
});
