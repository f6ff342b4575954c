import { JwtService } from '@nestjs/jwt';
import type { UserEntity } from '../entities/user.entity';
import { authConfig, AuthFakes, META, ORG_A, ORG_B } from '../testing/fake-auth';
import { userEntity } from '../testing/fake-auth-repositories';
import { type AccessTokenClaims, type AuthService } from './auth.service';
import { hashPassword } from './credentials';

describe('AuthService', () => {
  const config = authConfig();
  const jwt = new JwtService({ secret: config.auth.jwtSecret });
  let f: AuthFakes;
  let service: AuthService;
  let ada: UserEntity;

  beforeAll(async () => {
    ada = userEntity(ORG_A, {
      email: 'ada@example.com',
      role: 'analyst',
      passwordHash: await hashPassword('correct horse'),
    });
  });

  beforeEach(() => {
    f = new AuthFakes();
    f.users.rows.push({ ...ada });
    service = f.authService(config, jwt);
  });

  const unauthorized = { status: 401, slug: 'unauthenticated' };

  describe('login', () => {
    it("signs in whatever the email's case: an access token naming user and organization, a refresh token, an audit", async () => {
      const pair = await service.login('Ada@Example.COM', 'correct horse', META);
      expect(pair).toMatchObject({
        tokenType: 'Bearer',
        expiresIn: config.auth.accessTokenTtlSeconds,
      });
      await expect(jwt.verifyAsync<AccessTokenClaims>(pair.accessToken)).resolves.toMatchObject({
        sub: ada.id,
        org: ORG_A,
        typ: 'access',
      });
      expect(f.tokens.rows).toEqual([
        expect.objectContaining({ userId: ada.id, organizationId: ORG_A, usedAt: null }),
      ]);
      expect(pair.refreshToken.startsWith(`${f.tokens.rows[0]?.id}.`)).toBe(true);
      expect(f.tokens.rows[0]?.tokenHash).not.toContain(pair.refreshToken.split('.')[1]);
      expect(f.audit.records).toEqual([
        {
          actor: { kind: 'user', id: ada.id, organizationId: ORG_A },
          action: 'auth.login',
          outcome: 'success',
          meta: META,
        },
      ]);
    });

    it("refuses a wrong password, audited as a failure in the user's organization", async () => {
      await expect(service.login('ada@example.com', 'wrong', META)).rejects.toMatchObject(
        unauthorized,
      );
      expect(f.tokens.rows).toEqual([]);
      expect(f.audit.records).toEqual([
        expect.objectContaining({
          actor: { kind: 'anonymous', id: null, organizationId: ORG_A },
          outcome: 'failure',
          target: { type: 'user', id: ada.id },
        }),
      ]);
    });

    it('refuses an unknown email with the same answer, audited without an organization', async () => {
      const unknown = await service
        .login('nobody@example.com', 'correct horse', META)
        .catch((error: unknown) => error);
      const wrong = await service
        .login('ada@example.com', 'wrong', META)
        .catch((error: unknown) => error);
      expect(unknown).toMatchObject(unauthorized);
      expect((unknown as Error).message).toBe((wrong as Error).message);
      expect(f.audit.records[0]).toMatchObject({
        actor: { kind: 'anonymous', id: null, organizationId: null },
        outcome: 'failure',
        target: undefined,
      });
    });
  });

  describe('refresh', () => {
    it('rotates: the next token in the same family, issued in the same transaction', async () => {
      const first = await service.login('ada@example.com', 'correct horse', META);
      const next = await service.refresh(first.refreshToken, META);
      expect(next.refreshToken).not.toBe(first.refreshToken);
      const [used, issued] = f.tokens.rows;
      expect(used?.usedAt).toEqual(expect.any(Date));
      expect(issued).toMatchObject({
        familyId: used?.familyId,
        userId: ada.id,
        organizationId: ORG_A,
        usedAt: null,
      });
      expect(f.tokens.insertedIn).toEqual([undefined, 'the transaction']);
      await expect(jwt.verifyAsync<AccessTokenClaims>(next.accessToken)).resolves.toMatchObject({
        sub: ada.id,
        org: ORG_A,
      });
    });

    it('treats a used token presented again as theft: 401, the family revoked, audited', async () => {
      const first = await service.login('ada@example.com', 'correct horse', META);
      const next = await service.refresh(first.refreshToken, META);
      await expect(service.refresh(first.refreshToken, META)).rejects.toMatchObject(unauthorized);
      expect(f.tokens.rows.every((row) => row.revokedAt !== null)).toBe(true);
      expect(f.tokens.rows).toHaveLength(2);
      expect(f.audit.records.at(-1)).toEqual({
        actor: { kind: 'user', id: ada.id, organizationId: ORG_A },
        action: 'auth.refresh-token-reused',
        outcome: 'denied',
        meta: META,
        details: { familyId: f.tokens.rows[0]?.familyId },
      });
      // The thief's fresh token is dead too.
      await expect(service.refresh(next.refreshToken, META)).rejects.toMatchObject(unauthorized);
    });

    it('refuses a malformed token, a wrong secret and an expired token', async () => {
      const { refreshToken } = await service.login('ada@example.com', 'correct horse', META);
      const [id] = refreshToken.split('.');
      await expect(service.refresh('garbage', META)).rejects.toMatchObject(unauthorized);
      await expect(service.refresh(`${id}.${'A'.repeat(43)}`, META)).rejects.toMatchObject(
        unauthorized,
      );
      expect(f.tokens.rows[0]?.usedAt).toBeNull();
      const stored = f.tokens.rows[0];
      if (stored !== undefined) stored.expiresAt = new Date(Date.now() - 1000);
      await expect(service.refresh(refreshToken, META)).rejects.toMatchObject(unauthorized);
      expect(f.tokens.rows).toHaveLength(1);
    });

    it('refuses a token whose user has gone', async () => {
      const { refreshToken } = await service.login('ada@example.com', 'correct horse', META);
      f.users.rows.splice(0);
      await expect(service.refresh(refreshToken, META)).rejects.toMatchObject(unauthorized);
    });
  });

  describe('logout', () => {
    it('revokes the whole family of the token, audited once; again it changes nothing', async () => {
      const first = await service.login('ada@example.com', 'correct horse', META);
      const next = await service.refresh(first.refreshToken, META);
      await service.logout(next.refreshToken, META);
      expect(f.tokens.rows.map((row) => row.revokedAt)).toEqual([
        expect.any(Date),
        expect.any(Date),
      ]);
      expect(f.audit.records.at(-1)).toEqual({
        actor: { kind: 'user', id: ada.id, organizationId: ORG_A },
        action: 'auth.logout',
        outcome: 'success',
        meta: META,
        details: { familyId: f.tokens.rows[0]?.familyId },
      });
      const audited = f.audit.records.length;
      await service.logout(next.refreshToken, META);
      expect(f.audit.records).toHaveLength(audited);
      await expect(service.refresh(next.refreshToken, META)).rejects.toMatchObject(unauthorized);
    });

    it('leaves other sessions alone, and ignores malformed tokens and wrong secrets', async () => {
      const kept = await service.login('ada@example.com', 'correct horse', META);
      const ended = await service.login('ada@example.com', 'correct horse', META);
      const [id] = ended.refreshToken.split('.');
      await service.logout('garbage', META);
      await service.logout(`${id}.${'A'.repeat(43)}`, META);
      expect(f.tokens.rows.every((row) => row.revokedAt === null)).toBe(true);
      await service.logout(ended.refreshToken, META);
      await expect(service.refresh(kept.refreshToken, META)).resolves.toMatchObject({
        tokenType: 'Bearer',
      });
    });
  });

  describe('principalForAccessToken', () => {
    const claims = (org: string): AccessTokenClaims => ({ sub: ada.id, org, typ: 'access' });

    it('answers the user with the role stored now, looked up in the organization the token names', async () => {
      await expect(service.principalForAccessToken(claims(ORG_A))).resolves.toEqual({
        kind: 'user',
        id: ada.id,
        organizationId: ORG_A,
        role: 'analyst',
      });
      expect(f.users.calls).toEqual([{ method: 'findForAuthentication', organizationId: ORG_A }]);
      expect(f.cache.users.get(ada.id)).toMatchObject({ organizationId: ORG_A });
    });

    it('answers nobody for a token naming another organization, cached or not', async () => {
      await expect(service.principalForAccessToken(claims(ORG_B))).resolves.toBeNull();
      await service.principalForAccessToken(claims(ORG_A));
      await expect(service.principalForAccessToken(claims(ORG_B))).resolves.toBeNull();
    });

    it('answers nobody for a token that is not an access token', async () => {
      const refresh = { ...claims(ORG_A), typ: 'refresh' } as unknown as AccessTokenClaims;
      await expect(service.principalForAccessToken(refresh)).resolves.toBeNull();
      expect(f.users.calls).toEqual([]);
    });
  });

  it("describes the principal, and nothing else, as 'me'", () => {
    const principal = {
      kind: 'apiKey' as const,
      id: 'k',
      organizationId: ORG_B,
      role: 'viewer' as const,
    };
    expect(service.me(principal)).toEqual(principal);
  });
});
