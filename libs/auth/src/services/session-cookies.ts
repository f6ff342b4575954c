import { randomBytes } from 'node:crypto';
import { digestsEqual } from './credentials';

/** The browser session's refresh token: sent back to the auth routes only, unreadable by scripts. */
export const REFRESH_COOKIE = 'sightline_refresh';
/** The double-submit CSRF token: the dashboard reads it and echoes it in {@link CSRF_HEADER}. */
export const CSRF_COOKIE = 'sightline_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';
/** Where the browser sends the refresh cookie: login, refresh and logout, and nothing else. */
export const REFRESH_COOKIE_PATH = '/v1/auth';

export interface SessionCookieAttributes {
  httpOnly: boolean;
  secure: boolean;
  sameSite: 'strict';
  path: string;
  /** Seconds; 0 deletes the cookie. */
  maxAge: number;
}

export interface SessionCookie {
  name: string;
  value: string;
  attributes: SessionCookieAttributes;
}

export interface SessionCookiePolicy {
  /** False only in development, where the dashboard may be served over plain http://localhost. */
  secure: boolean;
  /** The refresh token's lifetime; the CSRF cookie lives as long, so the two expire together. */
  maxAgeSeconds: number;
}

/**
 * What a browser session reads from the request and writes to the response, so the
 * service holds the rules without touching Fastify (the controller's decorator builds it).
 */
export interface SessionCookieJar {
  readonly refreshToken: string | undefined;
  readonly csrfCookie: string | undefined;
  /** The `X-CSRF-Token` header; undefined when absent or sent more than once. */
  readonly csrfHeader: string | undefined;
  /**
   * Whether the body came as `application/json`, which a page of another site cannot send
   * without a CORS preflight (a form can send the other media types the API parses).
   */
  readonly jsonBody: boolean;
  set(cookie: SessionCookie): void;
}

function refreshCookie(value: string, secure: boolean, maxAge: number): SessionCookie {
  return {
    name: REFRESH_COOKIE,
    value,
    attributes: { httpOnly: true, secure, sameSite: 'strict', path: REFRESH_COOKIE_PATH, maxAge },
  };
}

function csrfCookie(value: string, secure: boolean, maxAge: number): SessionCookie {
  // Readable by the dashboard's scripts (no HttpOnly): that is the point of a double submit.
  return {
    name: CSRF_COOKIE,
    value,
    attributes: { httpOnly: false, secure, sameSite: 'strict', path: '/', maxAge },
  };
}

/** The cookies that hand a browser its refresh token and a fresh CSRF token. */
export function sessionCookies(
  refreshToken: string,
  csrfToken: string,
  policy: SessionCookiePolicy,
): SessionCookie[] {
  return [
    refreshCookie(refreshToken, policy.secure, policy.maxAgeSeconds),
    csrfCookie(csrfToken, policy.secure, policy.maxAgeSeconds),
  ];
}

/** Both cookies again, empty and with `Max-Age=0`: the same name, path and flags delete them. */
export function expiredSessionCookies(secure: boolean): SessionCookie[] {
  return [refreshCookie('', secure, 0), csrfCookie('', secure, 0)];
}

/** 256 random bits, URL-safe (no cookie or header escaping needed). */
export function generateCsrfToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Double submit: both present, non-empty and equal, compared in constant time. */
export function csrfTokensMatch(cookie: string | undefined, header: string | undefined): boolean {
  if (cookie === undefined || header === undefined || cookie === '') return false;
  return digestsEqual(cookie, header);
}
