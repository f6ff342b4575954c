import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './load-config';
import { type Environment, problemsOf, rejectionOf } from './testing/config-problems';

const SECRET = 'a-production-secret-of-at-least-32-chars';
const DATABASE_URL = 'postgres://sightline:pw@db.internal:5432/sightline';
const production: Environment = { NODE_ENV: 'production', DATABASE_URL, JWT_SECRET: SECRET };

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
      // A random secret kept beside the embedded data (load-config.secret.spec.ts), never a constant.
      expect(config.auth.jwtSecretSource).toBe('generated-kept');
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
