import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
// pg-boss 10.4.2 under an alias, in devDependencies for tests only: the job queue's old schema.
import PgBoss10 from 'pg-boss-10';
import { startTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const ROOT = join(__dirname, '..', '..');
const KEY = /^sl_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}$/;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI from source, as `npm run cli --` does, in a clean environment. */
function runCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'node_modules', '.bin', 'ts-node'), 'apps/cli/src/main.ts', ...args],
      {
        cwd: ROOT,
        // Nothing from the developer's shell (DATABASE_URL, .env) leaks in.
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          NODE_ENV: 'test',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The key a successful run printed, after checking it is the last stdout line and nowhere else. */
function keyOf(run: CliRun): string {
  expect(run).toMatchObject({ code: 0, stderr: '' });
  const lines = run.stdout.trimEnd().split('\n');
  const key = lines.at(-1) ?? '';
  expect(key).toMatch(KEY);
  expect(lines.slice(0, -1).join('\n')).not.toMatch(/sl_[A-Za-z0-9]{12}_/);
  expect(run.stdout.split(key)).toHaveLength(2);
  return key;
}

function field(run: CliRun, name: string): string {
  const value = new RegExp(`^  ${name}: (.+)$`, 'm').exec(run.stdout)?.[1];
  if (value === undefined) throw new Error(`no ${name} in:\n${run.stdout}`);
  return value;
}

// Each CLI run compiles its module graph with ts-node: seconds, not milliseconds.
jest.setTimeout(120_000);

describe('admin CLI', () => {
  let database: TestDatabase;
  let app: TestApp;
  let env: Record<string, string>;

  async function me(key: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${app.baseUrl}/v1/auth/me`, { headers: { 'x-api-key': key } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    env = { DATABASE_URL: database.url };
    app = await startTestApp({ database });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  let organizationId: string;
  let adminKey: string;

  /** The organization's audit events of one action, as its admin reads them, all by the CLI. */
  async function auditEvents(action: string): Promise<unknown[]> {
    const response = await fetch(`${app.baseUrl}/v1/audit-events?action=${action}`, {
      headers: { 'x-api-key': adminKey },
    });
    const events = ((await response.json()) as { data: Array<Record<string, unknown>> }).data;
    for (const event of events) {
      expect(event).toMatchObject({ actorKind: 'system', actorId: 'cli', outcome: 'success' });
    }
    return events;
  }

  it('create-organization prints an admin key, alone on the last line, that authenticates', async () => {
    const run = await runCli(['create-organization', '--name', 'Acme from the CLI'], env);
    const key = keyOf(run);
    expect(run.stdout).toContain('Created organization "Acme from the CLI"');
    organizationId = field(run, 'organizationId');
    expect(organizationId).toMatch(UUID);
    expect(field(run, 'apiKeyId')).toMatch(UUID);

    const response = await me(key);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ kind: 'apiKey', role: 'admin', organizationId });
    adminKey = key;
    expect(await auditEvents('organization.created')).toEqual([
      expect.objectContaining({
        targetId: organizationId,
        details: { name: 'Acme from the CLI', via: 'cli' },
      }),
    ]);
    expect(await auditEvents('api-key.created')).toEqual([
      expect.objectContaining({ targetId: field(run, 'apiKeyId') }),
    ]);
  });

  it('create-api-key issues a key with the role asked for, in the organization named or the oldest', async () => {
    const [named, oldest] = await Promise.all([
      runCli(
        ['create-api-key', '--role', 'viewer', '--organization', organizationId, '--name', 'wall'],
        env,
      ),
      runCli(['create-api-key', '--role', 'analyst'], env),
    ]);
    for (const [run, role, name] of [
      [named, 'viewer', 'wall'],
      [oldest, 'analyst', 'cli analyst key'],
    ] as const) {
      const key = keyOf(run);
      expect(run.stdout).toContain(`Created API key "${name}"`);
      expect(field(run, 'organizationId')).toBe(organizationId);
      expect(field(run, 'role')).toBe(role);
      const response = await me(key);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        kind: 'apiKey',
        id: field(run, 'apiKeyId'),
        role,
        organizationId,
      });
    }
    const issued = await auditEvents('api-key.created');
    for (const [run, role, name] of [
      [named, 'viewer', 'wall'],
      [oldest, 'analyst', 'cli analyst key'],
    ] as const) {
      expect(issued).toContainEqual(
        expect.objectContaining({
          targetType: 'api-key',
          targetId: field(run, 'apiKeyId'),
          details: { name, role, via: 'cli' },
        }),
      );
    }
  });

  it('answers bad arguments with the usage on stderr and exit 2, bad configuration and unknown organizations with exit 1', async () => {
    const [badRole, unknown, badConfig, help] = await Promise.all([
      runCli(['create-api-key', '--role', 'owner'], env),
      runCli(['create-api-key', '--role', 'admin', '--organization', randomUUID()], env),
      runCli(['create-organization', '--name', 'Nope'], { NODE_ENV: 'production' }),
      runCli(['--help'], env),
    ]);
    expect(badRole).toMatchObject({ code: 2, stdout: '' });
    expect(badRole.stderr).toContain('--role must be one of admin, analyst, viewer, service');
    expect(badRole.stderr).toContain('Usage: sightline-cli <command>');

    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toMatch(/^sightline-cli: No organization has the id [0-9a-f-]{36}\n$/);

    expect(badConfig).toMatchObject({ code: 1, stdout: '' });
    expect(badConfig.stderr).toMatch(
      /^sightline-cli: Invalid configuration:\n {2}- DATABASE_URL: /,
    );

    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^Usage: sightline-cli <command>/);
  });

  it('creates the first organization when there is none, as first start would', async () => {
    const empty = await createTestDatabase();
    try {
      const run = await runCli(['create-api-key', '--role', 'admin'], { DATABASE_URL: empty.url });
      keyOf(run);
      expect(run.stdout).toContain('Created the first organization "Default organization"');
      const client = new Client({ connectionString: empty.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ id: string }>('SELECT id FROM organizations');
        expect(rows).toEqual([{ id: field(run, 'organizationId') }]);
        const audit = await client.query(
          'SELECT action, actor_kind, actor_id, target_id FROM audit_events ORDER BY action',
        );
        expect(audit.rows).toEqual([
          {
            action: 'api-key.created',
            actor_kind: 'system',
            actor_id: 'cli',
            target_id: field(run, 'apiKeyId'),
          },
          {
            action: 'organization.created',
            actor_kind: 'system',
            actor_id: 'cli',
            target_id: field(run, 'organizationId'),
          },
        ]);
      } finally {
        await client.end();
      }
    } finally {
      await empty.drop();
    }
  });

  it('upgrade-job-queue moves a pg-boss 10 job queue, keeping its jobs, and then has nothing to do', async () => {
    const old = await createTestDatabase();
    try {
      const boss = new PgBoss10({ connectionString: old.url, max: 1 });
      await boss.start();
      await boss.createQueue('analysis', { name: 'analysis' });
      const id = await boss.send('analysis', { analysisId: 'kept' });
      await boss.stop({ graceful: false, wait: true });

      const upgraded = await runCli(['upgrade-job-queue'], { DATABASE_URL: old.url });
      expect(upgraded).toMatchObject({ code: 0, stderr: '' });
      expect(upgraded.stdout).toContain(
        'Upgraded the job queue from pg-boss 10 (schema version 24)',
      );
      expect(field(upgraded, 'queues')).toBe('1');
      expect(field(upgraded, 'jobs')).toBe('1');
      const client = new Client({ connectionString: old.url });
      await client.connect();
      try {
        const { rows } = await client.query('SELECT id, state, data FROM pgboss.job');
        expect(rows).toEqual([{ id, state: 'created', data: { analysisId: 'kept' } }]);
      } finally {
        await client.end();
      }

      const again = await runCli(['upgrade-job-queue'], { DATABASE_URL: old.url });
      expect(again).toMatchObject({ code: 0, stderr: '' });
      expect(again.stdout).toBe('The job queue holds no pg-boss 10 schema: nothing to upgrade.\n');
    } finally {
      await old.drop();
    }
  });
});
