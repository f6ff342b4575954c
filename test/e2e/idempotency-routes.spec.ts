import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { uploadCsv } from '../support/datasets';
import { call, Factory, signedHeaders, type TestOrganization } from '../support/factory';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * `Idempotency-Key` on every write route (API.md, Conventions): the JSON writes replay
 * their first response; the two that cannot (an upload, a new key secret) refuse the
 * header with a 400 saying why, rather than ignoring it.
 */
describe('Idempotency-Key across the write routes', () => {
  let app: TestApp;
  let org: TestOrganization;
  let analyst: string;
  let db: Client;

  beforeAll(async () => {
    app = await startTestApp({
      // No consumer: an analysis stays queued, so cancelling it always succeeds.
      env: {
        WORKERS: 'off',
        RATE_LIMIT_DEFAULT_LIMIT: '100000',
        RATE_LIMIT_EXPENSIVE_LIMIT: '100000',
      },
    });
    const factory = new Factory(app.app);
    org = await factory.newOrganization();
    analyst = (await factory.newApiKey(org.organizationId, 'analyst')).key;
    db = new Client({ connectionString: app.database.url });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await app.close();
  });

  async function count(sql: string, values: unknown[] = []): Promise<number> {
    const result = await db.query<{ n: number }>(sql, values);
    return result.rows[0]?.n ?? -1;
  }

  /** Sends the same request twice with one key; the repeat must replay the first answer. */
  async function twice(
    method: string,
    path: string,
    headers: () => Record<string, string>,
    body?: unknown,
  ) {
    const key = randomUUID();
    const send = () =>
      call(app.baseUrl, method, path, { headers: { ...headers(), 'idempotency-key': key }, body });
    const first = await send();
    const repeat = await send();
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(repeat.headers.get('idempotent-replayed')).toBe('true');
    expect(repeat.status).toBe(first.status);
    // The same JSON (its members' order is the database's: jsonb).
    expect(repeat.body).toEqual(first.body);
    return { key, first, repeat };
  }

  it('people: creating, changing and removing one happens once per key', async () => {
    const admin = () => ({ 'x-api-key': org.adminKey });
    const email = `idem-${randomUUID().slice(0, 8)}@example.com`;
    const created = await twice('POST', '/v1/users', admin, {
      email,
      password: 'a-long-password-1',
      role: 'viewer',
    });
    expect(created.first.status).toBe(201);
    expect(await count('SELECT count(*)::int AS n FROM users WHERE email = $1', [email])).toBe(1);
    // The same key with another body is refused.
    const reused = await call(app.baseUrl, 'POST', '/v1/users', {
      headers: { ...admin(), 'idempotency-key': created.key },
      body: { email: `other-${email}`, password: 'a-long-password-1', role: 'viewer' },
    });
    expect(reused.status).toBe(409);
    expect(reused.body.type).toBe('/problems/idempotency-key-reused');

    const id = String(created.first.body.id);
    const changed = await twice('PATCH', `/v1/users/${id}`, admin, {
      password: 'another-long-password-2',
    });
    expect(changed.first.status).toBe(200);
    const removed = await twice('DELETE', `/v1/users/${id}`, admin);
    // A plain repeat of the DELETE would be a 404: the key makes it the first 204.
    expect(removed.first.status).toBe(204);
  });

  it('signed deletions (an API key, a dataset) replay their 204 to a freshly signed repeat', async () => {
    const victim = await new Factory(app.app).newApiKey(org.organizationId, 'viewer');
    const revoked = await twice('DELETE', `/v1/api-keys/${victim.id}`, () =>
      signedHeaders(org.adminKey, 'DELETE', `/v1/api-keys/${victim.id}`),
    );
    expect(revoked.first.status).toBe(204);

    const dataset = await uploadCsv(app, analyst, 'a,b\n1,2\n');
    const datasetId = String(dataset.body.id);
    const deleted = await twice('DELETE', `/v1/datasets/${datasetId}`, () =>
      signedHeaders(analyst, 'DELETE', `/v1/datasets/${datasetId}`),
    );
    expect(deleted.first.status).toBe(204);
  });

  it('analyses: a replay and a cancellation happen once per key', async () => {
    const headers = () => ({ 'x-api-key': analyst });
    const original = await call(app.baseUrl, 'POST', '/v1/analyses', {
      headers: headers(),
      body: { text: 'The service was quick and friendly.' },
    });
    expect(original.status).toBe(202);
    const id = String(original.body.id);
    const replayed = await twice('POST', `/v1/analyses/${id}/replay`, headers);
    expect(replayed.first.status).toBe(202);
    expect(await count('SELECT count(*)::int AS n FROM analyses WHERE replay_of = $1', [id])).toBe(
      1,
    );

    const queued = await call(app.baseUrl, 'POST', '/v1/analyses', {
      headers: headers(),
      body: { text: 'Slow delivery.' },
    });
    const cancelled = await twice('DELETE', `/v1/analyses/${String(queued.body.id)}`, headers);
    expect(cancelled.first.status).toBe(200);
    expect(cancelled.first.body.status).toBe('cancelled');
  });

  it('refuses the key, saying why, where a replay is impossible; nothing is written', async () => {
    const keysBefore = await count(
      'SELECT count(*)::int AS n FROM api_keys WHERE organization_id = $1',
      [org.organizationId],
    );
    const body = JSON.stringify({ name: 'retry-safe?', role: 'viewer' });
    const newKey = await call(app.baseUrl, 'POST', '/v1/api-keys', {
      headers: {
        ...signedHeaders(org.adminKey, 'POST', '/v1/api-keys', body),
        'idempotency-key': randomUUID(),
      },
      body,
    });
    expect(newKey.status).toBe(400);
    expect(newKey.body.errors).toEqual([
      {
        field: 'Idempotency-Key',
        message: expect.stringMatching(
          /^not accepted on this route: its response holds the new secret/,
        ) as string,
      },
    ]);
    expect(
      await count('SELECT count(*)::int AS n FROM api_keys WHERE organization_id = $1', [
        org.organizationId,
      ]),
    ).toBe(keysBefore);

    const datasetsBefore = await count('SELECT count(*)::int AS n FROM datasets');
    const upload = await fetch(`${app.baseUrl}/v1/datasets`, {
      method: 'POST',
      headers: {
        'x-api-key': analyst,
        'content-type': 'text/csv',
        'idempotency-key': randomUUID(),
      },
      body: 'a,b\n1,2\n',
    });
    expect(upload.status).toBe(400);
    expect(await upload.text()).toContain('an upload is streamed into the database');
    expect(await count('SELECT count(*)::int AS n FROM datasets')).toBe(datasetsBefore);
  });
});
