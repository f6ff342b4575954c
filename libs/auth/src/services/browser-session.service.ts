import { ProblemException, type RequestMeta } from '@app/common';
import { AppConfig } from '@app/config';
import { Injectable } from '@nestjs/common';
import type {
  AccessTokenDto,
  LoginDto,
  LogoutDto,
  RefreshDto,
  TokenPairDto,
} from '../dtos/auth.dto';
import { AuthService } from './auth.service';
import {
  CSRF_COOKIE,
  CSRF_HEADER,
  csrfTokensMatch,
  expiredSessionCookies,
  generateCsrfToken,
  type SessionCookieJar,
  type SessionCookiePolicy,
  sessionCookies,
} from './session-cookies';

/**
 * The auth routes as browsers and machines both call them (docs/api.md, "Browser
 * sessions"): a body token keeps the token-pair contract; a cookie login keeps the refresh
 * token in an HttpOnly cookie, and each use of that cookie must carry the CSRF token.
 */
@Injectable()
export class BrowserSessionService {
  private readonly policy: SessionCookiePolicy;

  constructor(
    private readonly auth: AuthService,
    config: AppConfig,
  ) {
    this.policy = {
      secure: config.environment !== 'development',
      maxAgeSeconds: config.auth.refreshTokenTtlSeconds,
    };
  }

  async login(
    body: LoginDto,
    meta: RequestMeta,
    jar: SessionCookieJar,
  ): Promise<TokenPairDto | AccessTokenDto> {
    // Else another site's form could sign this browser in to the other site's account
    // (login CSRF): the cookies of a top-level navigation's answer are kept.
    if (body.session === 'cookie' && !jar.jsonBody) {
      throw new ProblemException(
        415,
        'unsupported-media-type',
        'A cookie session starts from a JSON body only: send Content-Type: application/json',
      );
    }
    const pair = await this.auth.login(body.email, body.password, meta);
    return body.session === 'cookie' ? this.handOver(pair, jar) : pair;
  }

  /** A body token answers a new pair; the cookie (with its CSRF token) is rotated in place. */
  async refresh(
    body: RefreshDto,
    meta: RequestMeta,
    jar: SessionCookieJar,
  ): Promise<TokenPairDto | AccessTokenDto> {
    if (body.refreshToken !== undefined) return this.auth.refresh(body.refreshToken, meta);
    const pair = await this.auth.refresh(this.cookieToken(jar), meta);
    return this.handOver(pair, jar);
  }

  /** Revokes the family of the body's token or the cookie's, if any, and deletes both cookies. */
  async logout(body: LogoutDto, meta: RequestMeta, jar: SessionCookieJar): Promise<void> {
    const presented =
      body.refreshToken ?? (jar.refreshToken === undefined ? undefined : this.cookieToken(jar));
    if (presented !== undefined) await this.auth.logout(presented, meta);
    for (const cookie of expiredSessionCookies(this.policy.secure)) jar.set(cookie);
  }

  /**
   * The refresh cookie's token, once the request shows it was made by a page of this site:
   * another site can make a browser send the cookie, but cannot read the CSRF cookie to
   * copy it into the header. Checked before the token is looked at, so a refusal rotates nothing.
   */
  private cookieToken(jar: SessionCookieJar): string {
    if (jar.refreshToken === undefined) {
      throw new ProblemException(
        401,
        'unauthenticated',
        'No refresh token: send refreshToken in the body, or the session cookie of a cookie login',
      );
    }
    if (!csrfTokensMatch(jar.csrfCookie, jar.csrfHeader)) {
      throw new ProblemException(
        403,
        'csrf-failed',
        `The ${CSRF_HEADER} header must equal the ${CSRF_COOKIE} cookie`,
      );
    }
    return jar.refreshToken;
  }

  private handOver(pair: TokenPairDto, jar: SessionCookieJar): AccessTokenDto {
    for (const cookie of sessionCookies(pair.refreshToken, generateCsrfToken(), this.policy)) {
      jar.set(cookie);
    }
    return { accessToken: pair.accessToken, expiresIn: pair.expiresIn, tokenType: pair.tokenType };
  }
}
