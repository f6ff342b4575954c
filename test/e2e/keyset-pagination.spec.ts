import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { uploadCsv } from '../support/datasets';
import { call, Factory, type TestOrganization } from '../support/factory';
import { startTestApp, type TestApp } from '../support/test-app';

type Json = Record<string, unknown>;

/** Items that share one sort time, as many as a few pages of every size tried. */
const SHARED = 20;
/** A time with microseconds a millisecond cursor cannot hold (older than anything written now). */
const SHARED_TIME = '2026-01-02T03:04:05.678901Z';
const LIMITS = [1, 2, 3, 7];

/**
 * One keyset list: where it is served, which table and time column order it, how to give
 * an organization {@link SHARED} items with one sort time, and how to add newer ones.
 */
interface ListCase {
  name: string;
  path: string;
  table: string;
  timeColumn: 'created_at' | 'observed_at';
  seed(org: Org): Promise<void>;
  insertNewer(org: Org): Promise<void>;
}

interface Org extends TestOrganization {
  analyst: string;
}

describe('keyset lists: every item exactly once, also inside one timestamp', () => {
  let app: TestApp;
  let db: Client;
  let factory: Factory;

  beforeAll(async () => {
    app = await startTestApp({
      env: {
        WORKERS: 'off',
        RATE_LIMIT_DEFAULT_LIMIT: '100000',
        RATE_LIMIT_EXPENSIVE_LIMIT: '100000',
        REDIS_KEY_PREFIX: `keyset-${randomBytes(6).toString('hex')}:`,
      },
    });
    factory = new Factory(app.app);
    db = new Client({ connectionString: app.database.url });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await app.close();
  });

  async function newOrg(): Promise<Org> {
    const org = await factory.newOrganization();
    return { ...org, analyst: (await factory.newApiKey(org.organizationId, 'analyst')).key };
  }

  async function post(org: Org, path: string, body: unknown): Promise<Json> {
    const response = await call(app.baseUrl, 'POST', path, {
      headers: { 'x-api-key': org.analyst },
      body,
    });
    expect([201, 202]).toContain(response.status);
    return response.body;
  }

  /** Copies of one dataset row with new ids, every column carried over except those set. */
  async function cloneDataset(datasetId: string, count: number, time: string): Promise<void> {
    await db.query(
      `INSERT INTO datasets
       SELECT (jsonb_populate_record(d, jsonb_build_object(
                 'id', gen_random_uuid(), 'name', d.name || ' #' || n, 'created_at', $3::timestamptz))).*
         FROM datasets AS d CROSS JOIN generate_series(1, $2::int) AS n WHERE d.id = $1`,
      [datasetId, count, time],
    );
  }

  /** `count` rows for the organization at `time`, or each at its own clock time when null. */
  function inserter(table: string, columns: string, values: string) {
    return async (org: Org, count: number, time: string | null): Promise<void> => {
      await db.query(
        `INSERT INTO ${table} (organization_id, ${columns}, created_at)
         SELECT $1, ${values}, coalesce($3::timestamptz, clock_timestamp())
           FROM generate_series(1, $2::int) AS n`,
        [org.organizationId, count, time],
      );
    };
  }
  const insertUsers = inserter(
    'users',
    'email, password_hash, role',
    `'u' || gen_random_uuid() || '@example.com', 'not-a-hash', 'viewer'`,
  );
  const insertKeys = inserter(
    'api_keys',
    'name, role, prefix, key_hash',
    `'key ' || n, 'viewer', 'sl_' || substr(md5(random()::text), 1, 12), md5(random()::text)`,
  );
  const insertAuditEvents = inserter(
    'audit_events',
    'actor_kind, actor_id, action, outcome, details',
    `'apiKey', 'test', 'test.keyset', 'success', '{}'`,
  );

  const datasetOf = new Map<string, string>();

  const lists: ListCase[] = [
    {
      name: 'analyses (a batch: one transaction, one now())',
      path: '/v1/analyses',
      table: 'analyses',
      timeColumn: 'created_at',
      seed: async (org) => {
        await post(org, '/v1/analyses/batch', {
          items: Array.from({ length: SHARED }, (_, i) => ({ text: `item ${i}` })),
        });
      },
      insertNewer: async (org) => {
        await post(org, '/v1/analyses/batch', { items: [{ text: 'a' }, { text: 'b' }] });
      },
    },
    {
      name: 'datasets',
      path: '/v1/datasets',
      table: 'datasets',
      timeColumn: 'created_at',
      seed: async (org) => {
        const uploaded = await uploadCsv(app, org.analyst, 'a,b\n1,2\n');
        expect(uploaded.status).toBe(201);
        const id = String(uploaded.body.id);
        datasetOf.set(org.organizationId, id);
        await db.query('UPDATE datasets SET created_at = $2 WHERE id = $1', [id, SHARED_TIME]);
        await cloneDataset(id, SHARED - 1, SHARED_TIME);
      },
      insertNewer: (org) =>
        cloneDataset(datasetOf.get(org.organizationId) ?? '', 2, new Date().toISOString()),
    },
    {
      name: 'metrics (one write, then one microsecond time)',
      path: '/v1/metrics',
      table: 'metrics',
      timeColumn: 'observed_at',
      seed: async (org) => {
        const written = await post(org, '/v1/metrics', {
          metrics: Array.from({ length: SHARED }, (_, i) => ({ name: 'keyset', value: i })),
        });
        await db.query('UPDATE metrics SET observed_at = $2 WHERE id = ANY($1::uuid[])', [
          written.ids,
          SHARED_TIME,
        ]);
      },
      insertNewer: async (org) => {
        await post(org, '/v1/metrics', {
          metrics: [
            { name: 'keyset', value: 1 },
            { name: 'keyset', value: 2 },
          ],
        });
      },
    },
    {
      name: 'audit events',
      path: '/v1/audit-events',
      table: 'audit_events',
      timeColumn: 'created_at',
      seed: (org) => insertAuditEvents(org, SHARED, SHARED_TIME),
      insertNewer: (org) => insertAuditEvents(org, 2, null),
    },
    {
      name: 'users',
      path: '/v1/users',
      table: 'users',
      timeColumn: 'created_at',
      seed: (org) => insertUsers(org, SHARED, SHARED_TIME),
      insertNewer: (org) => insertUsers(org, 2, null),
    },
    {
      name: 'API keys',
      path: '/v1/api-keys',
      table: 'api_keys',
      timeColumn: 'created_at',
      seed: (org) => insertKeys(org, SHARED, SHARED_TIME),
      insertNewer: (org) => insertKeys(org, 2, null),
    },
  ];

  /** The organization's ids in the list's order, as the database orders them now. */
  async function storedOrder(list: ListCase, org: Org): Promise<string[]> {
    const result = await db.query<{ id: string }>(
      `SELECT id FROM ${list.table} WHERE organization_id = $1
        ORDER BY ${list.timeColumn} DESC, id DESC`,
      [org.organizationId],
    );
    return result.rows.map((row) => row.id);
  }

  /** Every id the list serves, page by page; `between` runs after each page. */
  async function walk(
    list: ListCase,
    org: Org,
    limit: number,
    between: () => Promise<void> = async () => {},
  ): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const page = await call(app.baseUrl, 'GET', `${list.path}?limit=${limit}${query}`, {
        headers: { 'x-api-key': org.adminKey },
      });
      expect(page.status).toBe(200);
      const data = page.body.data as Array<{ id: string }>;
      expect(data.length).toBeLessThanOrEqual(limit);
      seen.push(...data.map((item) => item.id));
      cursor = page.body.nextCursor as string | null;
      await between();
      // A walk that never ends is a failure, not a hang.
      expect(seen.length).toBeLessThan(10 * (SHARED + 50));
    } while (cursor !== null);
    return seen;
  }

  describe.each(lists)('$name', (list) => {
    let org: Org;

    beforeAll(async () => {
      org = await newOrg();
      await list.seed(org);
    });

    it(`holds ${SHARED} items with one sort time`, async () => {
      const shared = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${list.table}
          WHERE organization_id = $1 GROUP BY ${list.timeColumn} ORDER BY 1 DESC LIMIT 1`,
        [org.organizationId],
      );
      expect(shared.rows[0]?.n).toBe(SHARED);
    });

    it.each(LIMITS)('serves every item once, in one stable order, with limit=%i', async (limit) => {
      const expected = await storedOrder(list, org);

      expect(await walk(list, org, limit)).toEqual(expected);
    });

    it('serves every item that existed at the start exactly once while newer ones arrive', async () => {
      const before = await storedOrder(list, org);

      const seen = await walk(list, org, 2, () => list.insertNewer(org));

      expect(new Set(seen).size).toBe(seen.length);
      const existing = new Set(before);
      expect(seen.filter((id) => existing.has(id))).toEqual(before);
      expect((await storedOrder(list, org)).length).toBeGreaterThan(before.length);
    });

    it('refuses a millisecond cursor from before with 400 invalid-cursor', async () => {
      const [id] = await storedOrder(list, org);
      const old = Buffer.from(JSON.stringify(['2026-01-02T03:04:05.678Z', id])).toString(
        'base64url',
      );

      const page = await call(app.baseUrl, 'GET', `${list.path}?cursor=${old}`, {
        headers: { 'x-api-key': org.adminKey },
      });

      expect(page.status).toBe(400);
      expect(page.headers.get('content-type')).toContain('application/problem+json');
      expect(page.body.type).toMatch(/\/problems\/invalid-cursor$/);
    });
  });
});
