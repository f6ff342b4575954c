import { JwtService } from '@nestjs/jwt';
import { authConfig, AuthFakes, META, ORG_A } from '../testing/fake-auth';
import { userEntity } from '../testing/fake-auth-repositories';
import { BrowserSessionService } from './browser-session.service';
import { hashPassword } from './credentials';
import type { SessionCookie, SessionCookieJar } from './session-cookies';

/** A browser's cookie store in one object: what the last response set is sent next time. */
class FakeBrowser {
  readonly cookies = new Map<string, string>();
  /** Every Set-Cookie of the last request. */
  written: SessionCookie[] = [];
  /** Whether its requests send JSON (false: a form). */
  jsonBody = true;

  /** A request sending the stored cookies and, unless told otherwise, the CSRF header a page would. */
  jar(
    csrf: { header?: string } = { header: this.cookies.get('sightline_csrf') },
  ): SessionCookieJar {
    this.written = [];
    return {
      refreshToken: this.cookies.get('sightline_refresh'),
      csrfCookie: this.cookies.get('sightline_csrf'),
      csrfHeader: csrf.header,
      jsonBody: this.jsonBody,
      set: (cookie) => {
        this.written.push(cookie);
        if (cookie.attributes.maxAge === 0) this.cookies.delete(cookie.name);
        else this.cookies.set(cookie.name, cookie.value);
      },
    };
  }
}

describe('BrowserSessionService', () => {
  const credentials = { email: 'ada@example.com', password: 'correct horse' };
  let f: AuthFakes;
  let sessions: BrowserSessionService;
  let browser: FakeBrowser;

  function build(env: Record<string, string> = {}): BrowserSessionService {
    const config = authConfig(env);
    const jwt = new JwtService({ secret: config.auth.jwtSecret });
    return new BrowserSessionService(f.authService(config, jwt), config);
  }

  beforeEach(async () => {
    f = new AuthFakes();
    f.users.rows.push(
      userEntity(ORG_A, {
        email: credentials.email,
        passwordHash: await hashPassword('correct horse'),
      }),
    );
    sessions = build({ JWT_REFRESH_TTL_SECONDS: '3600' });
    browser = new FakeBrowser();
  });

  /** A login without a session mode, which must answer the pair. */
  async function pairLogin(): Promise<{ refreshToken: string }> {
    const answer = await sessions.login(credentials, META, browser.jar());
    if (!('refreshToken' in answer))
      throw new Error('a login without a session mode answered no pair');
    return answer;
  }

  const cookieLogin = () =>
    sessions.login({ ...credentials, session: 'cookie' }, META, browser.jar({}));

  describe('login', () => {
    it('without a session mode answers the pair and sets no cookie', async () => {
      const answer = await sessions.login(credentials, META, browser.jar());
      expect(answer).toMatchObject({ refreshToken: expect.any(String), tokenType: 'Bearer' });
      expect(browser.written).toEqual([]);
    });

    it('with "cookie" answers no refresh token and sets it, with a CSRF token, as cookies', async () => {
      const answer = await cookieLogin();
      expect(Object.keys(answer).sort()).toEqual(['accessToken', 'expiresIn', 'tokenType']);
      const [refresh, csrf] = browser.written;
      expect(refresh?.value).toMatch(new RegExp(`^${f.tokens.rows[0]?.id ?? 'none'}\\.`));
      expect(refresh?.attributes).toEqual({
        httpOnly: true,
        secure: true,
        sameSite: 'strict',
        path: '/v1/auth',
        maxAge: 3600,
      });
      expect(csrf?.attributes).toMatchObject({ httpOnly: false, secure: true, path: '/' });
      expect(csrf?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    });

    it('refuses to start a cookie session from a form body (login CSRF): 415, nobody signed in', async () => {
      browser.jsonBody = false;
      await expect(cookieLogin()).rejects.toMatchObject({
        status: 415,
        slug: 'unsupported-media-type',
      });
      expect(browser.written).toEqual([]);
      expect(f.tokens.rows).toEqual([]);
      // The token pair is answered to whoever sent the form, never kept by the browser.
      await expect(pairLogin()).resolves.toMatchObject({ tokenType: 'Bearer' });
    });

    it('drops Secure in development only', async () => {
      sessions = build({ NODE_ENV: 'development', JWT_SECRET: 'x'.repeat(32) });
      await cookieLogin();
      expect(browser.written.map((cookie) => cookie.attributes.secure)).toEqual([false, false]);
    });
  });

  describe('refresh by cookie', () => {
    it('rotates the refresh cookie and the CSRF token, answering the access token only', async () => {
      await cookieLogin();
      const before = new Map(browser.cookies);
      const answer = await sessions.refresh({}, META, browser.jar());
      expect(answer).not.toHaveProperty('refreshToken');
      expect(browser.written.map((cookie) => cookie.name)).toEqual([
        'sightline_refresh',
        'sightline_csrf',
      ]);
      for (const name of ['sightline_refresh', 'sightline_csrf'])
        expect(browser.cookies.get(name)).not.toBe(before.get(name));
      expect(f.tokens.rows.map((row) => row.usedAt === null)).toEqual([false, true]);
    });

    it.each([
      ['without the header', undefined],
      ['with another token in the header', 'not-the-csrf-token'],
    ])('is a 403 csrf-failed %s, and nothing is used or set', async (_case, header) => {
      await cookieLogin();
      await expect(sessions.refresh({}, META, browser.jar({ header }))).rejects.toMatchObject({
        status: 403,
        slug: 'csrf-failed',
      });
      expect(browser.written).toEqual([]);
      expect(f.tokens.rows.map((row) => row.usedAt)).toEqual([null]);
    });

    it('is a 403 when the CSRF cookie is missing, even with a header', async () => {
      await cookieLogin();
      const header = browser.cookies.get('sightline_csrf');
      browser.cookies.delete('sightline_csrf');
      await expect(sessions.refresh({}, META, browser.jar({ header }))).rejects.toMatchObject({
        status: 403,
      });
    });

    it('is a 401 with neither a body token nor a cookie', async () => {
      await expect(sessions.refresh({}, META, browser.jar())).rejects.toMatchObject({
        status: 401,
        slug: 'unauthenticated',
      });
    });

    it('revokes the family when an old cookie comes back', async () => {
      await cookieLogin();
      const stolen = new Map(browser.cookies);
      await sessions.refresh({}, META, browser.jar());
      const thief = new FakeBrowser();
      for (const [name, value] of stolen) thief.cookies.set(name, value);
      await expect(sessions.refresh({}, META, thief.jar())).rejects.toMatchObject({ status: 401 });
      expect(f.tokens.rows.every((row) => row.revokedAt !== null)).toBe(true);
      await expect(sessions.refresh({}, META, browser.jar())).rejects.toMatchObject({
        status: 401,
      });
    });
  });

  describe('refresh by body', () => {
    it('answers a new pair and leaves the cookies alone, whatever cookies came with it', async () => {
      await cookieLogin();
      const pair = await pairLogin();
      const answer = await sessions.refresh(
        { refreshToken: pair.refreshToken },
        META,
        browser.jar({}),
      );
      expect(answer).toMatchObject({ refreshToken: expect.any(String) });
      expect(browser.written).toEqual([]);
    });
  });

  describe('logout', () => {
    it('revokes the cookie session and deletes both cookies', async () => {
      await cookieLogin();
      await sessions.logout({}, META, browser.jar());
      expect(
        browser.written.map((cookie) => [cookie.name, cookie.value, cookie.attributes.maxAge]),
      ).toEqual([
        ['sightline_refresh', '', 0],
        ['sightline_csrf', '', 0],
      ]);
      expect(f.tokens.rows.every((row) => row.revokedAt !== null)).toBe(true);
      expect(f.audit.actions()).toContain('auth.logout');
    });

    it('refuses the cookie without the CSRF token: 403, nothing revoked or deleted', async () => {
      await cookieLogin();
      await expect(sessions.logout({}, META, browser.jar({}))).rejects.toMatchObject({
        status: 403,
        slug: 'csrf-failed',
      });
      expect(browser.written).toEqual([]);
      expect(f.tokens.rows.map((row) => row.revokedAt)).toEqual([null]);
    });

    it('takes a body token instead, with no CSRF token needed', async () => {
      const pair = await pairLogin();
      await sessions.logout({ refreshToken: pair.refreshToken }, META, browser.jar());
      expect(f.tokens.rows.map((row) => row.revokedAt)).toEqual([expect.any(Date)]);
    });

    it('is idempotent: without any token it only deletes the cookies', async () => {
      await sessions.logout({}, META, browser.jar());
      expect(browser.written.map((cookie) => cookie.attributes.maxAge)).toEqual([0, 0]);
      expect(f.audit.records).toEqual([]);
    });
  });
});
