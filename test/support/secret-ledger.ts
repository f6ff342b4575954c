import { call, Factory, signedHeaders, type TestOrganization } from './factory';
import { startTestApp, type TestApp } from './test-app';

/** The password of every person an auth e2e file creates. */
export const PASSWORD = 'correct horse battery staple';

type CallOptions = Parameters<typeof call>[3];

/**
 * What an auth e2e file was shown, so that its last test can prove that no secret or hash
 * ever leaves the app but once: every response body seen, and each secret with the one
 * response allowed to show it (the one that issued it; none for a secret the file holds
 * from elsewhere, such as the organization's admin key or the password). Its requests go
 * to `context().app` as the admin of `context().org` where they need one.
 */
export class SecretLedger {
  private readonly responses: string[] = [];
  private readonly secrets = new Map<string, number>();

  constructor(private readonly context: () => { app: TestApp; org: TestOrganization }) {}

  /** A request through {@link call}, its response body recorded. */
  readonly api = async (method: string, path: string, options: CallOptions = {}) => {
    const response = await call(this.context().app.baseUrl, method, path, options);
    this.responses.push(response.text);
    return response;
  };

  /** Secrets the file holds from elsewhere: no response may show them. */
  readonly held = (...secrets: string[]): void => {
    for (const secret of secrets) this.secrets.set(secret, -1);
  };

  /** The last response issued `secret`: it, and no other response, may show it. */
  readonly issued = (secret: string): void => {
    this.secrets.set(secret, this.responses.length - 1);
  };

  /** A person of the organization, created by its admin key with a signed request. */
  readonly newUser = async (
    role: 'admin' | 'analyst' | 'viewer',
    email = `u-${Date.now()}-${Math.random()}@example.com`,
  ) => {
    const { adminKey } = this.context().org;
    const body = JSON.stringify({ email, password: PASSWORD, role });
    const created = await this.api('POST', '/v1/users', {
      headers: signedHeaders(adminKey, 'POST', '/v1/users', body),
      body,
    });
    expect(created.status).toBe(201);
    return { id: String(created.body.id), email };
  };

  readonly login = (email: string, password = PASSWORD) =>
    this.api('POST', '/v1/auth/login', { body: { email, password } });

  /**
   * No secret in a log line, each shown by the response that issued it and by no other,
   * and no password or key hash anywhere. `issuedAtLeast`: how many secrets the file's
   * tests issue, so that a ledger that stopped recording them fails here.
   */
  expectKept(issuedAtLeast: number): void {
    const logs = this.context().app.logs;
    const logText = JSON.stringify(logs);
    expect(logs.length).toBeGreaterThan(20);
    const issued = [...this.secrets.values()].filter((index) => index !== -1);
    expect(issued.length).toBeGreaterThanOrEqual(issuedAtLeast);
    for (const [secret, issuedIn] of this.secrets) {
      expect(logText).not.toContain(secret);
      // Shown once, by the response that issued it, and by no other.
      const shownIn = this.responses.flatMap((text, index) =>
        text.includes(secret) ? [index] : [],
      );
      expect(shownIn).toEqual(issuedIn === -1 ? [] : [issuedIn]);
    }
    for (const text of [logText, ...this.responses]) {
      expect(text).not.toMatch(/\$argon2id\$/);
      expect(text).not.toMatch(/passwordHash|keyHash|tokenHash|signingKey/);
    }
  }
}

/**
 * The app of an auth e2e file, with an organization whose admin key, like the password,
 * `ledger` holds: no response may show either.
 */
export async function startAuthApp(
  ledger: SecretLedger,
): Promise<{ app: TestApp; factory: Factory; org: TestOrganization }> {
  const app = await startTestApp({
    // Sign-ins and refused credentials here may outrun the login rate limit of one IP
    // (rate-limit.spec.ts tests that).
    env: { JWT_ACCESS_TTL_SECONDS: '60', RATE_LIMIT_LOGIN_LIMIT: '1000' },
  });
  const factory = new Factory(app.app);
  const org = await factory.newOrganization();
  ledger.held(org.adminKey, PASSWORD);
  return { app, factory, org };
}
