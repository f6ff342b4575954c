import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { uploadCsv } from '../support/datasets';
import { call, Factory, signedHeaders, type TestOrganization } from '../support/factory';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * `Idempotency-Key` on every write route (docs/api.md, Idempotency): writes replay their first
 * response — an upload too, compared by its file's bytes once read; a new API key's secret
 * too, kept sealed for the replay.
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
    const change = { password: 'another-long-password-2' };
    const changed = await twice(
      'PATCH',
      `/v1/users/${id}`,
      () => signedHeaders(org.adminKey, 'PATCH', `/v1/users/${id}`, JSON.stringify(change)),
      change,
    );
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

  it('API keys: a creation and a rotation replay their secret, which the database never holds in clear', async () => {
    const body = JSON.stringify({ name: 'retry-safe', role: 'viewer' });
    const created = await twice(
      'POST',
      '/v1/api-keys',
      () => signedHeaders(org.adminKey, 'POST', '/v1/api-keys', body),
      body,
    );
    expect(created.first.status).toBe(201);
    const secret = String(created.first.body.key);
    expect(secret).toMatch(/^sl_/);
    expect(
      await count(
        'SELECT count(*)::int AS n FROM api_keys WHERE organization_id = $1 AND name = $2',
        [org.organizationId, 'retry-safe'],
      ),
    ).toBe(1);

    const id = String(created.first.body.id);
    const rotated = await twice('POST', `/v1/api-keys/${id}/rotate`, () =>
      signedHeaders(org.adminKey, 'POST', `/v1/api-keys/${id}/rotate`),
    );
    expect(rotated.first.status).toBe(200);
    const rotatedSecret = String(rotated.first.body.key);
    expect(rotatedSecret).not.toBe(secret);

    // Kept for the replays, sealed: neither secret is in the table.
    const stored = await db.query<{ body: string }>(
      'SELECT response_body::text AS body FROM idempotency_keys WHERE organization_id = $1',
      [org.organizationId],
    );
    expect(stored.rows.length).toBeGreaterThan(0);
    const everything = stored.rows.map((row) => row.body).join('\n');
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(rotatedSecret);
    expect(stored.rows.every((row) => row.body.startsWith('{"sealed": '))).toBe(true);
  });

  describe('uploads (streamed: compared once read)', () => {
    const upload = (key: string, csv: string, query = '') =>
      fetch(`${app.baseUrl}/v1/datasets${query}`, {
        method: 'POST',
        headers: { 'x-api-key': analyst, 'content-type': 'text/csv', 'idempotency-key': key },
        body: csv,
      });
    const uploadForm = (key: string, csv: string) => {
      const form = new FormData();
      form.append('file', new Blob([csv], { type: 'text/csv' }), 'form.csv');
      return fetch(`${app.baseUrl}/v1/datasets`, {
        method: 'POST',
        headers: { 'x-api-key': analyst, 'idempotency-key': key },
        body: form,
      });
    };
    const datasets = () => count('SELECT count(*)::int AS n FROM datasets');

    it('stores the file once and answers the repeat with the first response', async () => {
      const key = randomUUID();
      const before = await datasets();
      const first = await upload(key, 'a,b\n1,2\n3,4\n', '?name=once');
      const repeat = await upload(key, 'a,b\n1,2\n3,4\n', '?name=once');

      expect([first.status, repeat.status]).toEqual([201, 201]);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      expect(repeat.headers.get('idempotent-replayed')).toBe('true');
      expect(await repeat.json()).toEqual(await first.json());
      expect(await datasets()).toBe(before + 1);
    });

    it('knows a multipart repeat by its file, whatever its boundary', async () => {
      const key = randomUUID();
      const before = await datasets();
      const first = await uploadForm(key, 'x\n1\n');
      const repeat = await uploadForm(key, 'x\n1\n');

      expect([first.status, repeat.status]).toEqual([201, 201]);
      expect(repeat.headers.get('idempotent-replayed')).toBe('true');
      expect(await datasets()).toBe(before + 1);
    });

    it('refuses the key with another file or other options (409), storing nothing', async () => {
      const key = randomUUID();
      expect((await upload(key, 'a\n1\n')).status).toBe(201);
      const before = await datasets();

      const otherFile = await upload(key, 'a\n2\n');
      const otherName = await upload(key, 'a\n1\n', '?name=renamed');

      expect([otherFile.status, otherName.status]).toEqual([409, 409]);
      expect(((await otherFile.json()) as { type: string }).type).toBe(
        '/problems/idempotency-key-reused',
      );
      expect(await datasets()).toBe(before);
    });

    it('lets a corrected retry use the key of an upload that failed', async () => {
      const key = randomUUID();
      const broken = await upload(key, 'a,b\n1,"open\n');
      expect(broken.status).toBe(400);

      const corrected = await upload(key, 'a,b\n1,2\n');
      expect(corrected.status).toBe(201);
      expect(corrected.headers.get('idempotent-replayed')).toBeNull();
    });
  });
});
