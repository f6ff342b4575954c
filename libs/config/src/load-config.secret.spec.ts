import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './load-config';
import { problemsOf } from './testing/config-problems';

// What development used to fall back to; any instance started without configuration accepted it.
const PUBLISHED = 'insecure-development-secret-change-me-0000000000';
const DATABASE_URL = 'postgres://sightline:pw@db.internal:5432/sightline';

describe('the JWT secret in development without JWT_SECRET', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sightline-secret-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('is random, kept 0600 beside the embedded database, and reused at the next start', () => {
    const environment = { EMBEDDED_DATABASE_DIR: join(dir, 'data', 'postgres') };
    const first = loadConfig(environment);
    const file = join(dir, 'data', 'postgres', 'jwt-secret');

    expect(first.environment).toBe('development');
    expect(first.auth.jwtSecretSource).toBe('generated-kept');
    expect(first.auth.jwtSecret).not.toBe(PUBLISHED);
    expect(first.auth.jwtSecret).not.toMatch(/^insecure-/);
    expect(first.auth.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.auth.jwtSecret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadConfig({ ...environment, NODE_ENV: 'development' }).auth.jwtSecret).toBe(
      first.auth.jwtSecret,
    );
  });

  it('differs from one data directory to another: no constant anywhere', () => {
    const one = loadConfig({ EMBEDDED_DATABASE_DIR: join(dir, 'one', 'postgres') });
    const two = loadConfig({ EMBEDDED_DATABASE_DIR: join(dir, 'two', 'postgres') });

    expect(one.auth.jwtSecret).not.toBe(two.auth.jwtSecret);
  });

  it('is new at each start with an external database, and nothing is written', () => {
    const environment = { DATABASE_URL, EMBEDDED_DATABASE_DIR: join(dir, 'data', 'postgres') };
    const first = loadConfig(environment);
    const second = loadConfig(environment);

    expect(first.auth.jwtSecretSource).toBe('generated-per-start');
    expect(first.auth.jwtSecret).not.toBe(second.auth.jwtSecret);
    expect(first.auth.jwtSecret).not.toMatch(/^insecure-/);
    expect(() => statSync(join(dir, 'data'))).toThrow();
  });

  it('refuses a kept file too short to be a secret, naming it', () => {
    const file = join(dir, 'jwt-secret');
    writeFileSync(file, 'short\n');

    expect(problemsOf({ EMBEDDED_DATABASE_DIR: dir })).toEqual([
      `JWT_SECRET: ${file} holds fewer than 32 characters; delete it or set JWT_SECRET`,
    ]);
  });

  it('is the configured one when JWT_SECRET is set, and none is generated', () => {
    const secret = 'a-configured-secret-of-at-least-32-chars';
    const config = loadConfig({ JWT_SECRET: secret, EMBEDDED_DATABASE_DIR: join(dir, 'pg') });

    expect(config.auth).toMatchObject({ jwtSecret: secret, jwtSecretSource: 'configured' });
    expect(() => statSync(join(dir, 'pg'))).toThrow();
  });

  it('stays a constant only in the test profile, and production still requires one', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).auth.jwtSecretSource).toBe('configured');
    expect(problemsOf({ NODE_ENV: 'production', DATABASE_URL })).toEqual([
      'JWT_SECRET: is required',
    ]);
  });
});
