import { IdempotencyService } from '@app/idempotency';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { call, Factory, type TestOrganization } from '../support/factory';
import { startTestApp, type TestApp } from '../support/test-app';

/** `Idempotency-Key` on writes (docs/api.md, Idempotency), through `POST /v1/metrics`. */
describe('Idempotency-Key', () => {
  let app: TestApp;
  let org: TestOrganization;
  let other: TestOrganization;
  let service: string;
  let analyst: string;
  let db: Client;

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMIT_DEFAULT_LIMIT: '100000' } });
    const factory = new Factory(app.app);
    [org, other] = await Promise.all([factory.newOrganization(), factory.newOrganization()]);
    service = (await factory.newApiKey(org.organizationId, 'service')).key;
    analyst = (await factory.newApiKey(org.organizationId, 'analyst')).key;
    db = new Client({ connectionString: app.database.url });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await app.close();
  });

  function write(key: string | undefined, metrics: unknown, apiKey = service) {
    return call(app.baseUrl, 'POST', '/v1/metrics', {
      headers: { 'x-api-key': apiKey, ...(key === undefined ? {} : { 'idempotency-key': key }) },
      body: { metrics },
    });
  }

  async function count(name: string): Promise<number> {
    const result = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM metrics WHERE name = $1',
      [name],
    );
    return result.rows[0]?.n ?? -1;
  }

  it('answers a repeat with the first response and writes once', async () => {
    const key = randomUUID();
    const first = await write(key, [{ name: 'idem.once', value: 1 }]);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const repeat = await write(key, [{ name: 'idem.once', value: 1 }]);
    expect(repeat.status).toBe(201);
    expect(repeat.headers.get('idempotent-replayed')).toBe('true');
    expect(repeat.body).toEqual(first.body);
    expect(await count('idem.once')).toBe(1);
    // Without a key, the same body is a second write.
    expect((await write(undefined, [{ name: 'idem.once', value: 1 }])).status).toBe(201);
    expect(await count('idem.once')).toBe(2);
  });

  it('refuses the same key with a different request (409), writing nothing', async () => {
    const key = randomUUID();
    expect((await write(key, [{ name: 'idem.diff', value: 1 }])).status).toBe(201);
    const reused = await write(key, [{ name: 'idem.diff', value: 2 }]);
    expect(reused.status).toBe(409);
    expect(reused.body.type).toBe('/problems/idempotency-key-reused');
    // Another caller of the same organization is a different request too.
    const otherCaller = await write(key, [{ name: 'idem.diff', value: 1 }], analyst);
    expect(otherCaller.status).toBe(409);
    expect(await count('idem.diff')).toBe(1);
  });

  it('runs concurrent repeats once', async () => {
    const key = randomUUID();
    const metrics = Array.from({ length: 2000 }, (_, i) => ({ name: 'idem.race', value: i }));
    const answers = await Promise.all(Array.from({ length: 5 }, () => write(key, metrics)));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((status) => status === 201 || status === 409)).toBe(true);
    for (const answer of answers.filter((a) => a.status === 409)) {
      expect(answer.body.type).toBe('/problems/idempotency-key-in-progress');
    }
    expect(await count('idem.race')).toBe(2000);
  });

  it('forgets a key whose first request failed, so a corrected retry runs', async () => {
    const key = randomUUID();
    const failed = await write(key, [{ name: 'idem.fix', value: 'one' }]);
    expect(failed.status).toBe(400);
    const fixed = await write(key, [{ name: 'idem.fix', value: 1 }]);
    expect(fixed.status).toBe(201);
    expect(fixed.headers.get('idempotent-replayed')).toBeNull();
    expect(await count('idem.fix')).toBe(1);
  });

  it('keeps keys apart per organization', async () => {
    const key = randomUUID();
    expect((await write(key, [{ name: 'idem.org', value: 1 }])).status).toBe(201);
    const theirs = await write(key, [{ name: 'idem.org', value: 1 }], other.adminKey);
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(await count('idem.org')).toBe(2);
  });

  it('runs a request again once its key is over 24 hours old, and prunes old keys', async () => {
    const key = randomUUID();
    const first = await write(key, [{ name: 'idem.old', value: 1 }]);
    await db.query(
      `UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = $1`,
      [key],
    );
    const again = await write(key, [{ name: 'idem.old', value: 1 }]);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect(again.body.ids).not.toEqual(first.body.ids);
    expect(await count('idem.old')).toBe(2);

    await db.query(
      `UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = $1`,
      [key],
    );
    expect(await app.app.get(IdempotencyService).prune()).toBe(1);
    const left = await db.query('SELECT 1 FROM idempotency_keys WHERE key = $1', [key]);
    expect(left.rowCount).toBe(0);
  });

  it.each([
    ['empty', ''],
    ['too long', 'k'.repeat(256)],
    ['with a space', 'my key'],
  ])('refuses a key that is %s (400, naming the header)', async (_case, key) => {
    const response = await write(key, [{ name: 'idem.badkey', value: 1 }]);
    expect(response.status).toBe(400);
    expect((response.body.errors as Array<{ field: string }>)[0]?.field).toBe('Idempotency-Key');
    expect(await count('idem.badkey')).toBe(0);
  });
});
