import { DataSource } from 'typeorm';
import { call, Factory, signedHeaders, type TestOrganization } from '../support/factory';
import { startTestApp, type TestApp } from '../support/test-app';

const PASSWORD = 'a long enough password';

/** Failures around the credential tables: a race is a 409, and no log line carries a secret. */
describe('errors around credentials', () => {
  let app: TestApp;
  let org: TestOrganization;

  beforeAll(async () => {
    app = await startTestApp({ env: { LOG_LEVEL: 'info' } });
    org = await new Factory(app.app).newOrganization();
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers 409 (never 500) to every loser of a race to create one email', async () => {
    const email = `race-${Date.now()}@example.com`;
    const statuses = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const response = await call(app.baseUrl, 'POST', '/v1/users', {
          headers: { 'x-api-key': org.adminKey },
          body: {
            email: i % 2 === 0 ? email : email.toUpperCase(),
            password: PASSWORD,
            role: 'viewer',
          },
        });
        if (response.status === 409) {
          expect(response.body).toMatchObject({
            type: '/problems/conflict',
            errors: [{ field: 'email', message: 'email is already taken' }],
          });
        }
        return response.status;
      }),
    );
    expect(statuses.sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
  });

  it('never logs a password hash, a key hash or the parameters of a failing credential query', async () => {
    const source = app.app.get(DataSource);
    // Every insert into the credential tables now fails inside PostgreSQL: an unexpected error.
    await source.query(`ALTER TABLE users ADD CONSTRAINT refuse_all CHECK (false) NOT VALID`);
    await source.query(`ALTER TABLE api_keys ADD CONSTRAINT refuse_all CHECK (false) NOT VALID`);
    const from = app.logs.length;
    try {
      const person = await call(app.baseUrl, 'POST', '/v1/users', {
        headers: { 'x-api-key': org.adminKey },
        body: { email: `logs-${Date.now()}@example.com`, password: PASSWORD, role: 'viewer' },
      });
      expect(person.status).toBe(500);
      const body = JSON.stringify({ name: 'never stored', role: 'viewer' });
      const key = await call(app.baseUrl, 'POST', '/v1/api-keys', {
        headers: signedHeaders(org.adminKey, 'POST', '/v1/api-keys', body),
        body,
      });
      expect(key.status).toBe(500);
    } finally {
      await source.query(`ALTER TABLE users DROP CONSTRAINT refuse_all`);
      await source.query(`ALTER TABLE api_keys DROP CONSTRAINT refuse_all`);
    }
    const lines = app.logs.slice(from).map((line) => JSON.stringify(line));
    const errors = lines.filter((line) => line.includes('Unexpected error'));
    expect(errors).toHaveLength(2);
    // The error is still useful: its class, SQLSTATE and constraint stay.
    expect(errors[0]).toMatch(/QueryFailedError/);
    expect(errors[0]).toMatch(/23514/);
    for (const line of lines) {
      expect(line).not.toMatch(/\$argon2id\$/);
      expect(line).not.toMatch(/[0-9a-f]{64}/);
      expect(line).not.toMatch(/"parameters"/);
      expect(line).not.toMatch(/Failing row contains/);
      expect(line).not.toContain(PASSWORD);
    }
  });
});
