import {
  OPENAPI_PERMISSION,
  OPENAPI_PUBLIC,
  OPENAPI_SIGNED,
  type Permission,
  type Role,
  ROLES,
} from '@app/access';
import { call, Factory, signedHeaders, type TestOrganization } from '../support/factory';
import { storedQuestion } from '../support/questions';
import { startTestApp, type TestApp } from '../support/test-app';

interface Operation {
  method: string;
  path: string;
  [OPENAPI_PUBLIC]?: boolean;
  [OPENAPI_PERMISSION]?: { permission: Permission; roles: Role[] };
  [OPENAPI_SIGNED]?: boolean;
}

/** The only routes anyone may call without a credential (issue 3). */
const PUBLIC_ROUTES = [
  'GET /health/live',
  'GET /health/ready',
  'POST /v1/auth/login',
  'POST /v1/auth/refresh',
  // Proven by the refresh token it revokes, so an expired access token can still sign out.
  'POST /v1/auth/logout',
];

const ADMIN: Role[] = ['admin'];
const EVERYONE: Role[] = ['admin', 'analyst', 'viewer', 'service'];
const READERS: Role[] = ['admin', 'analyst', 'viewer'];
const WRITERS: Role[] = ['admin', 'analyst'];

/**
 * Who may call each route, written here rather than read from the route's own metadata, so
 * that a permission changed by mistake on a controller (or in the role table) fails below.
 */
const ALLOWED: Record<string, Role[]> = {
  'GET /v1/auth/me': EVERYONE,
  'POST /v1/api-keys': ADMIN,
  'GET /v1/api-keys': ADMIN,
  'POST /v1/api-keys/{id}/rotate': ADMIN,
  'DELETE /v1/api-keys/{id}': ADMIN,
  'POST /v1/users': ADMIN,
  'GET /v1/users': ADMIN,
  'GET /v1/users/{id}': ADMIN,
  'PATCH /v1/users/{id}': ADMIN,
  'DELETE /v1/users/{id}': ADMIN,
  'POST /v1/datasets': WRITERS,
  'GET /v1/datasets': READERS,
  'GET /v1/datasets/{id}': READERS,
  'DELETE /v1/datasets/{id}': WRITERS,
  'GET /v1/datasets/{id}/profile': READERS,
  'GET /v1/datasets/{id}/rows': READERS,
  'GET /v1/datasets/{id}/export': READERS,
  'GET /v1/datasets/{id}/columns/{column}/histogram.svg': READERS,
  'POST /v1/metrics': ['admin', 'analyst', 'service'],
  'GET /v1/metrics': EVERYONE,
  'GET /v1/metrics/names': EVERYONE,
  'GET /v1/metrics/series': EVERYONE,
  'GET /v1/metrics/series.svg': EVERYONE,
  'GET /v1/metrics/export': EVERYONE,
  'POST /v1/datasets/{id}/questions': READERS,
  'GET /v1/datasets/{id}/questions': READERS,
  'GET /v1/questions/{id}/chart.svg': READERS,
  'POST /v1/analyses': WRITERS,
  'GET /v1/analyses': READERS,
  'POST /v1/analyses/batch': WRITERS,
  'POST /v1/analyses/{id}/replay': WRITERS,
  'GET /v1/analyses/{id}': READERS,
  'DELETE /v1/analyses/{id}': WRITERS,
  'GET /v1/analyses/{id}/events': READERS,
  'GET /v1/audit-events': ADMIN,
  'POST /v1/reports': WRITERS,
  'GET /v1/reports': READERS,
  'GET /v1/reports/schedule-preview': READERS,
  'GET /v1/reports/{id}': READERS,
  'PATCH /v1/reports/{id}': WRITERS,
  'DELETE /v1/reports/{id}': WRITERS,
  'POST /v1/reports/{id}/run': WRITERS,
  'GET /v1/reports/{id}/runs': READERS,
  'POST /v1/reports/{id}/rotate-secret': WRITERS,
  'GET /v1/report-runs/{id}': READERS,
  'GET /v1/report-runs/{id}/download': READERS,
  'POST /v1/report-runs/{id}/redeliver': WRITERS,
};

/**
 * Walks every operation of the OpenAPI document the app serves: a route added
 * without a permission, or that lets the wrong caller through, fails here.
 */
describe('access matrix over every route in the OpenAPI document', () => {
  let app: TestApp;
  let factory: Factory;
  let home: TestOrganization;
  let other: TestOrganization;
  const keysByRole = new Map<Role, string>();
  let operations: Operation[];

  /** A resource of `home` for each kind of path parameter, so another organization can be shown a 404. */
  const fixtures: Record<string, () => Promise<string>> = {
    'api-keys': async () => (await factory.newApiKey(home.organizationId, 'viewer')).id,
    users: async () => {
      const created = await call(app.baseUrl, 'POST', '/v1/users', {
        headers: { 'x-api-key': home.adminKey },
        body: {
          email: `someone-${Date.now()}-${Math.random()}@example.com`,
          password: 'a long enough password',
          role: 'viewer',
        },
      });
      return String(created.body.id);
    },
    analyses: async () => {
      const created = await fetch(`${app.baseUrl}/v1/analyses`, {
        method: 'POST',
        headers: { 'x-api-key': home.adminKey, 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'fixture' }),
      });
      return String(((await created.json()) as { id: string }).id);
    },
    datasets: async () => {
      const created = await fetch(`${app.baseUrl}/v1/datasets`, {
        method: 'POST',
        headers: { 'x-api-key': home.adminKey, 'content-type': 'text/csv' },
        body: 'a,b\n1,x\n',
      });
      return String(((await created.json()) as { id: string }).id);
    },
    reports: async () => {
      const created = await call(app.baseUrl, 'POST', '/v1/reports', {
        headers: { 'x-api-key': home.adminKey },
        body: { name: 'Fixture', metrics: ['m'], schedule: '0 8 * * *', timezone: 'UTC' },
      });
      return String(created.body.id);
    },
    'report-runs': async () => {
      const reportId = await fixtures.reports?.();
      const run = await call(app.baseUrl, 'POST', `/v1/reports/${reportId ?? ''}/run`, {
        headers: { 'x-api-key': home.adminKey },
      });
      return String(run.body.runId);
    },
    questions: async () => {
      const datasetId = await fixtures.datasets?.();
      return storedQuestion(app, home.organizationId, datasetId ?? '');
    },
  };

  /** A valid body for writes that need one: another organization must see the 404, not a 400. */
  const bodies: Record<string, unknown> = {
    'POST /v1/datasets/{id}/questions': { question: 'How many rows are there?' },
  };

  beforeAll(async () => {
    // Fixtures upload and analyse for every route and role: more than one minute's expensive budget.
    app = await startTestApp({ env: { RATE_LIMIT_EXPENSIVE_LIMIT: '10000' } });
    factory = new Factory(app.app);
    home = await factory.newOrganization('Home');
    other = await factory.newOrganization('Other');
    for (const role of ROLES)
      keysByRole.set(role, (await factory.newApiKey(home.organizationId, role)).key);
    const document = (await (await fetch(`${app.baseUrl}/docs-json`)).json()) as {
      paths: Record<string, Record<string, Omit<Operation, 'method' | 'path'>>>;
    };
    operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({
        ...operation,
        method: method.toUpperCase(),
        path,
      })),
    );
  });
  afterAll(async () => {
    await app.close();
  });

  it('finds the routes it must check', () => {
    expect(operations.length).toBeGreaterThanOrEqual(12);
  });

  it('opens only the public allowlist, and every other route declares a permission', () => {
    for (const operation of operations) {
      const name = `${operation.method} ${operation.path}`;
      if (operation[OPENAPI_PUBLIC] === true) expect(PUBLIC_ROUTES).toContain(name);
      else
        expect({ route: name, permission: operation[OPENAPI_PERMISSION]?.permission }).toEqual({
          route: name,
          permission: expect.any(String),
        });
    }
  });

  it('knows who may call every route the document lists, and documents it as served', () => {
    const guarded = operations.filter((op) => op[OPENAPI_PUBLIC] !== true);
    const names = guarded.map((op) => `${op.method} ${op.path}`);
    expect([...names].sort()).toEqual(Object.keys(ALLOWED).sort());
    for (const operation of guarded) {
      const route = `${operation.method} ${operation.path}`;
      expect({ route, roles: [...(operation[OPENAPI_PERMISSION]?.roles ?? [])].sort() }).toEqual({
        route,
        roles: [...(ALLOWED[route] ?? [])].sort(),
      });
    }
  });

  async function concretePath(operation: Operation): Promise<string> {
    const resource = operation.path.split('/')[2] ?? '';
    if (!operation.path.includes('{')) return operation.path;
    const fixture = fixtures[resource];
    if (fixture === undefined)
      throw new Error(`No fixture for ${operation.path}: add one to the access matrix`);
    const id = await fixture();
    return operation.path.replace(/\{[^}]+\}/g, id);
  }

  it('answers 401 to a request without a credential, and with a bad one', async () => {
    for (const operation of operations.filter((op) => op[OPENAPI_PUBLIC] !== true)) {
      const path = operation.path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
      const anonymous = await call(app.baseUrl, operation.method, path);
      expect({ route: `${operation.method} ${operation.path}`, status: anonymous.status }).toEqual({
        route: `${operation.method} ${operation.path}`,
        status: 401,
      });
      expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
      const forged = await call(app.baseUrl, operation.method, path, {
        headers: { 'x-api-key': 'sl_AAAAAAAAAAAA_' + 'A'.repeat(43) },
      });
      expect({ route: `${operation.method} ${operation.path}`, status: forged.status }).toEqual({
        route: `${operation.method} ${operation.path}`,
        status: 401,
      });
    }
  });

  it('answers 403 to every role not allowed, and serves the others without a 401, 403 or 5xx', async () => {
    for (const operation of operations.filter((op) => op[OPENAPI_PUBLIC] !== true)) {
      const allowed = ALLOWED[`${operation.method} ${operation.path}`];
      if (allowed === undefined)
        throw new Error(`${operation.method} ${operation.path} is missing from ALLOWED`);
      for (const role of ROLES) {
        const path = await concretePath(operation);
        const key = keysByRole.get(role) ?? '';
        const headers =
          operation[OPENAPI_SIGNED] === true
            ? signedHeaders(key, operation.method, path)
            : { 'x-api-key': key };
        const response = await call(app.baseUrl, operation.method, path, { headers });
        const route = `${role} ${operation.method} ${operation.path}`;
        if (allowed.includes(role)) {
          // A body-less write may be refused (400), but never by the guard nor by a crash.
          const served = response.status < 500 && ![401, 403].includes(response.status);
          expect({ route, status: response.status, served }).toEqual({
            route,
            status: response.status,
            served: true,
          });
        } else expect({ route, status: response.status }).toEqual({ route, status: 403 });
      }
    }
  });

  it("answers 404 to another organization's admin for every resource of this one", async () => {
    for (const operation of operations.filter(
      (op) => op[OPENAPI_PUBLIC] !== true && op.path.includes('{'),
    )) {
      const path = await concretePath(operation);
      const headers =
        operation[OPENAPI_SIGNED] === true
          ? signedHeaders(other.adminKey, operation.method, path)
          : { 'x-api-key': other.adminKey };
      const body =
        bodies[`${operation.method} ${operation.path}`] ??
        (operation.method === 'PATCH' ? {} : undefined);
      const response = await call(app.baseUrl, operation.method, path, {
        headers:
          operation[OPENAPI_SIGNED] === true && body !== undefined
            ? signedHeaders(other.adminKey, operation.method, path, JSON.stringify(body))
            : headers,
        body,
      });
      const route = `${operation.method} ${operation.path}`;
      expect({ route, status: response.status }).toEqual({ route, status: 404 });
      expect(response.body.type).toBe('/problems/not-found');
    }
  });
});
