import {
  type Permission,
  type Principal,
  PUBLIC_ROUTE,
  REQUIRED_PERMISSION,
  roleHasPermission,
} from '@app/access';
import { ProblemException } from '@app/common';
import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';

/**
 * Enforces `@RequirePermission` against the permission table. A route that is
 * neither public nor declares a permission is refused for everyone (and
 * logged): forgetting the declaration must not open the route.
 */
@Injectable()
export class PermissionGuard implements CanActivate {
  private readonly logger = new Logger('Permissions');

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets) === true) return true;
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(
      REQUIRED_PERMISSION,
      targets,
    );
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: Principal }>();
    if (permission === undefined) {
      this.logger.error(
        `${request.method} ${request.routeOptions.url ?? request.url} declares no permission; refusing it`,
      );
      throw new ProblemException(
        403,
        'forbidden',
        'This route declares no permission and is closed',
      );
    }
    const principal = request.user;
    if (principal === undefined || !roleHasPermission(principal.role, permission)) {
      throw new ProblemException(
        403,
        'forbidden',
        `The ${principal?.role ?? 'anonymous'} role lacks the ${permission} permission`,
      );
    }
    return true;
  }
}
