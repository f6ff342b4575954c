import { type TestOrganization } from '../support/factory';
import { PASSWORD, SecretLedger, startAuthApp } from '../support/secret-ledger';
import { Browser, type Response } from '../support/cookie-browser';
import { type TestApp } from '../support/test-app';

/**
 * The dashboard's session (docs/api.md, "Browser sessions"): a cookie login keeps the refresh
 * token in an HttpOnly cookie, refresh and logout take it from there only with the CSRF
 * token echoed in a header, and the body-token flows stay as they were (auth.spec.ts).
 */
describe('browser sessions', () => {
  let app: TestApp;
  let org: TestOrganization;
  const ledger = new SecretLedger(() => ({ app, org }));
  const { api, held, issued, newUser } = ledger;
  const refreshTtl = () => String(app.config.auth.refreshTokenTtlSeconds);

  const newBrowser = () =>
    new Browser((path, headers, body) => api('POST', path, { headers, body }));

  /** A browser signed in with a cookie session; its cookies' secrets are held by the ledger. */
  async function signedIn(): Promise<{ browser: Browser; login: Response }> {
    const { email } = await newUser('viewer');
    const browser = newBrowser();
    const login = await browser.post('/v1/auth/login', {
      body: { email, password: PASSWORD, session: 'cookie' },
    });
    expect(login.status).toBe(200);
    keep(browser);
    return { browser, login };
  }

  /** Whatever the browser holds now must never show in a response body or a log line. */
  function keep(browser: Browser): void {
    held(...[...browser.cookies.values()].filter((value) => value !== ''));
  }

  const problemType = (response: Response) => response.body.type;

  beforeAll(async () => {
    ({ app, org } = await startAuthApp(ledger));
  });
  afterAll(async () => {
    await app.close();
  });

  describe('login with "session": "cookie"', () => {
    it('answers the access token only and sets the refresh and CSRF cookies, with exact attributes', async () => {
      const { browser, login } = await signedIn();
      expect(Object.keys(login.body).sort()).toEqual(['accessToken', 'expiresIn', 'tokenType']);
      expect(browser.set.map((cookie) => cookie.name).sort()).toEqual([
        'sightline_csrf',
        'sightline_refresh',
      ]);
      expect(browser.cookie('sightline_refresh')?.value).toMatch(
        /^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/,
      );
      expect(browser.cookie('sightline_refresh')?.attributes).toEqual({
        'max-age': refreshTtl(),
        path: '/v1/auth',
        httponly: true,
        secure: true,
        samesite: 'Strict',
      });
      expect(browser.cookie('sightline_csrf')?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(browser.cookie('sightline_csrf')?.attributes).toEqual({
        'max-age': refreshTtl(),
        path: '/',
        secure: true,
        samesite: 'Strict',
      });
      const me = await api('GET', '/v1/auth/me', {
        headers: { authorization: `Bearer ${String(login.body.accessToken)}` },
      });
      expect(me.status).toBe(200);
    });

    it('is unchanged without "session": the pair in the body, no cookie', async () => {
      const { email } = await newUser('viewer');
      const browser = newBrowser();
      const login = await browser.post('/v1/auth/login', { body: { email, password: PASSWORD } });
      issued(String(login.body.refreshToken));
      expect(login.body).toMatchObject({ refreshToken: expect.any(String), tokenType: 'Bearer' });
      expect(browser.set).toEqual([]);
    });

    it('starts from a JSON body only, never a form another site could send', async () => {
      const { email } = await newUser('viewer');
      const form = await fetch(`${app.baseUrl}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email, password: PASSWORD, session: 'cookie' }).toString(),
      });
      expect(form.status).toBe(415);
      expect(((await form.json()) as { type: string }).type).toBe(
        '/problems/unsupported-media-type',
      );
      expect(form.headers.getSetCookie()).toEqual([]);
      const text = await fetch(`${app.baseUrl}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ email, password: PASSWORD, session: 'cookie' }),
      });
      expect(text.status).toBe(400);
      expect(text.headers.getSetCookie()).toEqual([]);
    });

    it('refuses a session mode it does not know, naming the field', async () => {
      const { email } = await newUser('viewer');
      const login = await api('POST', '/v1/auth/login', {
        body: { email, password: PASSWORD, session: 'local-storage' },
      });
      expect(login.status).toBe(400);
      expect((login.body.errors as Array<{ field: string }>).map((error) => error.field)).toEqual([
        'session',
      ]);
    });
  });

  describe('refresh by cookie', () => {
    it('answers a new access token and rotates both cookies, with or without a JSON body', async () => {
      const { browser } = await signedIn();
      for (const body of [undefined, {}]) {
        const before = new Map(browser.cookies);
        const refreshed = await browser.post('/v1/auth/refresh', { body });
        keep(browser);
        expect(refreshed.status).toBe(200);
        expect(Object.keys(refreshed.body).sort()).toEqual([
          'accessToken',
          'expiresIn',
          'tokenType',
        ]);
        expect(refreshed.headers.get('ratelimit-limit')).toBe(
          String(app.config.rateLimits.refresh.limit),
        );
        expect(browser.cookie('sightline_refresh')?.attributes).toMatchObject({
          path: '/v1/auth',
          httponly: true,
        });
        for (const name of ['sightline_refresh', 'sightline_csrf']) {
          expect(browser.cookies.get(name)).toEqual(expect.any(String));
          expect(browser.cookies.get(name)).not.toBe(before.get(name));
        }
      }
    });

    it.each([
      ['without X-CSRF-Token', null],
      ['with an X-CSRF-Token other than the cookie', 'A'.repeat(43)],
      ['with an empty X-CSRF-Token', ''],
    ])('is a 403 csrf-failed %s, and rotates nothing', async (_case, csrf) => {
      const { browser } = await signedIn();
      const before = new Map(browser.cookies);
      const refused = await browser.post('/v1/auth/refresh', { csrf });
      expect(refused.status).toBe(403);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(problemType(refused)).toBe('/problems/csrf-failed');
      expect(browser.set).toEqual([]);
      // The refresh token was not used: it still refreshes, once, with the right header.
      expect(new Map(browser.cookies)).toEqual(before);
      expect((await browser.post('/v1/auth/refresh')).status).toBe(200);
      keep(browser);
    });

    it('is a 403 when the CSRF cookie is gone, whatever the header says', async () => {
      const { browser } = await signedIn();
      const csrf = browser.cookies.get('sightline_csrf') ?? '';
      browser.cookies.delete('sightline_csrf');
      const refused = await browser.post('/v1/auth/refresh', { csrf });
      expect(problemType(refused)).toBe('/problems/csrf-failed');
    });

    it('is a 401 with neither a cookie nor a body token', async () => {
      const refused = await newBrowser().post('/v1/auth/refresh', { body: {} });
      expect(refused.status).toBe(401);
      expect(problemType(refused)).toBe('/problems/unauthenticated');
    });

    it('revokes the family when an old refresh cookie comes back, audited', async () => {
      const { browser } = await signedIn();
      const stolen = browser.clone();
      expect((await browser.post('/v1/auth/refresh')).status).toBe(200);
      keep(browser);
      const replayed = await stolen.post('/v1/auth/refresh');
      expect(replayed.status).toBe(401);
      expect(replayed.body.detail).toMatch(/already used/);
      // The legitimate browser's current cookie was of the same family: it is dead too.
      expect((await browser.post('/v1/auth/refresh')).status).toBe(401);
      const audit = await api('GET', '/v1/audit-events?action=auth.refresh-token-reused', {
        headers: { 'x-api-key': org.adminKey },
      });
      expect((audit.body.data as unknown[]).length).toBeGreaterThanOrEqual(1);
    });

    it("leaves a body token to today's flow: the pair answered, cookies untouched, no CSRF needed", async () => {
      const { browser } = await signedIn();
      const { email } = await newUser('viewer');
      const pair = await api('POST', '/v1/auth/login', { body: { email, password: PASSWORD } });
      issued(String(pair.body.refreshToken));
      const before = new Map(browser.cookies);
      const refreshed = await browser.post('/v1/auth/refresh', {
        body: { refreshToken: pair.body.refreshToken },
        csrf: null,
      });
      expect(refreshed.status).toBe(200);
      issued(String(refreshed.body.refreshToken));
      expect(refreshed.body.refreshToken).not.toBe(pair.body.refreshToken);
      expect(browser.set).toEqual([]);
      expect(new Map(browser.cookies)).toEqual(before);
    });
  });

  describe('logout', () => {
    it('revokes the session and deletes both cookies with their own path and flags; twice is 204', async () => {
      const logouts = async () =>
        (
          (
            await api('GET', '/v1/audit-events?action=auth.logout&limit=500', {
              headers: { 'x-api-key': org.adminKey },
            })
          ).body.data as unknown[]
        ).length;
      const { browser } = await signedIn();
      const copy = browser.clone();
      const audited = await logouts();
      const logout = await browser.post('/v1/auth/logout');
      expect(logout.status).toBe(204);
      expect(logout.text).toBe('');
      // The refresh class's budget: logout spends what refreshing does, per client IP.
      expect(logout.headers.get('ratelimit-limit')).toBe(
        String(app.config.rateLimits.refresh.limit),
      );
      expect(browser.cookie('sightline_refresh')).toEqual({
        name: 'sightline_refresh',
        value: '',
        attributes: {
          'max-age': '0',
          path: '/v1/auth',
          httponly: true,
          secure: true,
          samesite: 'Strict',
        },
      });
      expect(browser.cookie('sightline_csrf')).toEqual({
        name: 'sightline_csrf',
        value: '',
        attributes: { 'max-age': '0', path: '/', secure: true, samesite: 'Strict' },
      });
      expect(browser.cookies.size).toBe(0);
      // The refresh token no longer works, from a copy of the cookies either.
      expect((await copy.clone().post('/v1/auth/refresh')).status).toBe(401);
      expect((await browser.post('/v1/auth/logout')).status).toBe(204);
      expect((await copy.post('/v1/auth/logout')).status).toBe(204);
      // Audited once: the repeats ended nothing.
      expect(await logouts()).toBe(audited + 1);
    });

    it('needs the CSRF token with the cookie: 403, and the session lives on', async () => {
      const { browser } = await signedIn();
      const refused = await browser.post('/v1/auth/logout', { csrf: null });
      expect(refused.status).toBe(403);
      expect(problemType(refused)).toBe('/problems/csrf-failed');
      expect(browser.set).toEqual([]);
      expect((await browser.post('/v1/auth/refresh')).status).toBe(200);
      keep(browser);
    });

    it('needs no access token, and takes a body token from clients without cookies', async () => {
      const { email } = await newUser('viewer');
      const pair = await api('POST', '/v1/auth/login', { body: { email, password: PASSWORD } });
      issued(String(pair.body.refreshToken));
      const logout = await api('POST', '/v1/auth/logout', {
        body: { refreshToken: pair.body.refreshToken },
      });
      expect(logout.status).toBe(204);
      const refused = await api('POST', '/v1/auth/refresh', {
        body: { refreshToken: pair.body.refreshToken },
      });
      expect(refused.status).toBe(401);
    });
  });

  describe('secrets', () => {
    it('never show a cookie token in a response body or a log line', () => {
      ledger.expectKept(3);
    });
  });
});

/** In development only, the cookies lose `Secure` (plain http://localhost); CORS admits them from the configured origin. */
