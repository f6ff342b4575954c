import { type OrganizationId, organizationIdOf } from '@app/tenancy';
import type { Principal } from '@app/access';
import { AuditService } from '@app/audit';
import { ProblemException, type RequestMeta } from '@app/common';
import { AppConfig } from '@app/config';
import type { UnitOfWork } from '@app/database';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import type { MeDto, TokenPairDto } from '../dtos/auth.dto';
import type { RefreshTokenEntity } from '../entities/refresh-token.entity';
import type { UserEntity } from '../entities/user.entity';
import { RefreshTokensRepository } from '../repositories/refresh-tokens.repository';
import { UsersRepository } from '../repositories/users.repository';
import { digestsEqual, generateRefreshSecret, sha256Hex, verifyPassword } from './credentials';
import { PrincipalCacheService } from './principal-cache.service';

/** Claims of an access token. The role is not in it: it is looked up (cached), so a role change applies at once. */
export interface AccessTokenClaims {
  sub: string;
  org: string;
  typ: 'access';
}

const REFRESH_TOKEN_PATTERN = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/;

interface PresentedRefreshToken {
  id: string;
  /** Whether a stored row is this token's: its secret's hash, compared in constant time. */
  matches: (token: RefreshTokenEntity) => boolean;
}

/** A well-formed refresh token `<id>.<secret>`, or null for anything else. */
function parseRefreshToken(presented: string): PresentedRefreshToken | null {
  const match = REFRESH_TOKEN_PATTERN.exec(presented);
  if (match === null) return null;
  const [, id = '', secret = ''] = match;
  return { id, matches: (token) => digestsEqual(token.tokenHash, sha256Hex(secret)) };
}

function unauthorized(detail: string): ProblemException {
  return new ProblemException(401, 'unauthenticated', detail);
}

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersRepository,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly jwt: JwtService,
    private readonly cache: PrincipalCacheService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async login(email: string, password: string, meta: RequestMeta): Promise<TokenPairDto> {
    const user = await this.users.findByEmailForAuthentication(email.toLowerCase());
    const valid = await verifyPassword(user?.passwordHash, password);
    if (user === null || !valid) {
      await this.audit.record({
        actor: { kind: 'anonymous', id: null, organizationId: user?.organizationId ?? null },
        action: 'auth.login',
        outcome: 'failure',
        target: user === null ? undefined : { type: 'user', id: user.id },
        meta,
      });
      throw unauthorized('The email or password is wrong');
    }
    const familyId = randomUUID();
    const refreshToken = await this.issueRefreshToken(user.id, user.organizationId, familyId);
    await this.audit.record({
      actor: { kind: 'user', id: user.id, organizationId: user.organizationId },
      action: 'auth.login',
      outcome: 'success',
      meta,
    });
    return this.tokenPair(user, refreshToken);
  }

  /** Exchanges a refresh token, once, for a new pair; reuse revokes the whole family. */
  async refresh(presented: string, meta: RequestMeta): Promise<TokenPairDto> {
    const token = parseRefreshToken(presented);
    if (token === null) throw unauthorized('The refresh token is invalid or expired');
    let next = '';
    const outcome = await this.refreshTokens.consume(
      token.id,
      token.matches,
      async (previous, manager) => {
        next = await this.issueRefreshToken(
          previous.userId,
          previous.organizationId,
          previous.familyId,
          manager,
        );
      },
    );
    if (outcome.kind === 'reused') {
      await this.audit.record({
        actor: {
          kind: 'user',
          id: outcome.previous.userId,
          organizationId: outcome.previous.organizationId,
        },
        action: 'auth.refresh-token-reused',
        outcome: 'denied',
        meta,
        details: { familyId: outcome.previous.familyId },
      });
      throw unauthorized(
        'The refresh token was already used; every token of its family is now revoked. Sign in again.',
      );
    }
    if (outcome.kind === 'invalid') throw unauthorized('The refresh token is invalid or expired');
    const user = await this.users.findForAuthentication(
      outcome.previous.organizationId,
      outcome.previous.userId,
    );
    if (user === null) throw unauthorized('The refresh token is invalid or expired');
    return this.tokenPair(user, next);
  }

  /**
   * Ends the session of a refresh token: revokes its family, audited as `auth.logout`.
   * A token that is malformed, unknown or already revoked changes nothing, so logging out
   * twice is no error. The access token lives on until it expires (`expiresIn`).
   */
  async logout(presented: string, meta: RequestMeta): Promise<void> {
    const token = parseRefreshToken(presented);
    if (token === null) return;
    const outcome = await this.refreshTokens.revokeFamilyOf(token.id, token.matches);
    if (outcome === null || outcome.revoked === 0) return;
    await this.audit.record({
      actor: {
        kind: 'user',
        id: outcome.token.userId,
        organizationId: outcome.token.organizationId,
      },
      action: 'auth.logout',
      outcome: 'success',
      meta,
      details: { familyId: outcome.token.familyId },
    });
  }

  /** The principal of a verified access token's claims, or null when its user is gone. */
  async principalForAccessToken(claims: AccessTokenClaims): Promise<Principal | null> {
    if (claims.typ !== 'access') return null;
    // Read before the database: a fill stamped with it cannot outlive a role change (PrincipalCacheService).
    const { value: cached, generation } = await this.cache.getUser(claims.sub);
    if (cached !== undefined) return cached.organizationId === claims.org ? cached : null;
    const user = await this.users.findForAuthentication(organizationIdOf(claims.org), claims.sub);
    if (user === null) return null;
    const principal: Principal = {
      kind: 'user',
      id: user.id,
      organizationId: user.organizationId,
      role: user.role,
    };
    await this.cache.setUser(principal, generation);
    return principal;
  }

  me(principal: Principal): MeDto {
    return {
      id: principal.id,
      kind: principal.kind,
      role: principal.role,
      organizationId: principal.organizationId,
    };
  }

  private async issueRefreshToken(
    userId: string,
    organizationId: OrganizationId,
    familyId: string,
    manager?: UnitOfWork,
  ): Promise<string> {
    const id = randomUUID();
    const secret = generateRefreshSecret();
    await this.refreshTokens.insert(
      {
        id,
        familyId,
        userId,
        organizationId,
        tokenHash: sha256Hex(secret),
        expiresAt: new Date(Date.now() + this.config.auth.refreshTokenTtlSeconds * 1000),
      },
      manager,
    );
    return `${id}.${secret}`;
  }

  private async tokenPair(user: UserEntity, refreshToken: string): Promise<TokenPairDto> {
    const claims: AccessTokenClaims = { sub: user.id, org: user.organizationId, typ: 'access' };
    const accessToken = await this.jwt.signAsync(claims, {
      expiresIn: this.config.auth.accessTokenTtlSeconds,
    });
    return {
      accessToken,
      refreshToken,
      expiresIn: this.config.auth.accessTokenTtlSeconds,
      tokenType: 'Bearer',
    };
  }
}
