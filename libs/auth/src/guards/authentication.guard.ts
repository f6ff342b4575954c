import { type Principal, PUBLIC_ROUTE } from '@app/access';
import { ProblemException } from '@app/common';
import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Authenticates every route except `@Public()` ones, by API key or bearer
 * token (passport strategies `api-key` and `jwt`). No valid credential → 401.
 */
@Injectable()
export class AuthenticationGuard extends AuthGuard(['api-key', 'jwt']) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext): Promise<boolean> | boolean {
    if (
      this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [
        context.getHandler(),
        context.getClass(),
      ]) === true
    )
      return true;
    return super.canActivate(context) as Promise<boolean>;
  }

  // Passport's signature: (err, user, info, context).
  override handleRequest<TUser = Principal>(
    error: unknown,
    user: TUser | false | null,
    _info: unknown,
    context: ExecutionContext,
  ): TUser {
    // Passport hands over whatever a strategy threw; rethrow it unchanged.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    if (error !== null && error !== undefined) throw error;
    if (user !== false && user !== null && user !== undefined) return user;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    void http
      .getResponse<FastifyReply>()
      .header('WWW-Authenticate', 'Bearer realm="sightline", ApiKey realm="sightline"');
    const presented =
      request.headers['x-api-key'] !== undefined || request.headers.authorization !== undefined;
    throw new ProblemException(
      401,
      'unauthenticated',
      presented
        ? 'The credential is invalid, expired or revoked'
        : 'Authentication required: send X-API-Key or Authorization: Bearer <access token>',
    );
  }
}
