import {
  csrfTokensMatch,
  expiredSessionCookies,
  generateCsrfToken,
  sessionCookies,
} from './session-cookies';

describe('session cookies', () => {
  const policy = { secure: true, maxAgeSeconds: 1_209_600 };

  it('hands the refresh token to the auth routes only, unreadable by scripts', () => {
    const [refresh] = sessionCookies('token-id.secret', 'csrf', policy);
    expect(refresh).toEqual({
      name: 'sightline_refresh',
      value: 'token-id.secret',
      attributes: {
        httpOnly: true,
        secure: true,
        sameSite: 'strict',
        path: '/v1/auth',
        maxAge: 1_209_600,
      },
    });
  });

  it('gives the CSRF token to every page of the site, readable, expiring with the refresh token', () => {
    const [, csrf] = sessionCookies('token-id.secret', 'the-csrf-token', policy);
    expect(csrf).toEqual({
      name: 'sightline_csrf',
      value: 'the-csrf-token',
      attributes: {
        httpOnly: false,
        secure: true,
        sameSite: 'strict',
        path: '/',
        maxAge: 1_209_600,
      },
    });
  });

  it('drops Secure only when the policy says so (development)', () => {
    const cookies = sessionCookies('t', 'c', { secure: false, maxAgeSeconds: 60 });
    expect(cookies.map((cookie) => cookie.attributes.secure)).toEqual([false, false]);
  });

  it('expires both cookies with the same names, paths and flags, empty and Max-Age=0', () => {
    const live = sessionCookies('t', 'c', policy);
    const expired = expiredSessionCookies(true);
    expect(expired).toEqual(
      live.map((cookie) => ({
        name: cookie.name,
        value: '',
        attributes: { ...cookie.attributes, maxAge: 0 },
      })),
    );
  });

  it('makes CSRF tokens of 256 random bits, URL-safe, never the same twice', () => {
    const tokens = new Set(Array.from({ length: 50 }, () => generateCsrfToken()));
    expect(tokens.size).toBe(50);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  describe('the double-submit check', () => {
    const token = generateCsrfToken();

    it('passes when the header equals the cookie', () => {
      expect(csrfTokensMatch(token, token)).toBe(true);
    });

    it.each([
      ['no header', token, undefined],
      ['no cookie', undefined, token],
      ['neither', undefined, undefined],
      ['an empty cookie and header', '', ''],
      ['a different header', token, generateCsrfToken()],
      ['a prefix of the cookie', token, token.slice(0, 20)],
      ['a header of other case', 'csrf-Token-x', 'CSRF-TOKEN-X'],
    ])('fails with %s', (_case, cookie, header) => {
      expect(csrfTokensMatch(cookie, header)).toBe(false);
    });
  });
});
