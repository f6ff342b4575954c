import {
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { type Permission, rolesWithPermission } from './permissions';
import type { Principal } from './principal';

export const PUBLIC_ROUTE = 'sightline:public';
export const REQUIRED_PERMISSION = 'sightline:permission';
export const SIGNATURE_REQUIRED = 'sightline:signature';
/** OpenAPI extensions read by the document post-processing and the access-matrix test. */
export const OPENAPI_PUBLIC = 'x-sightline-public';
export const OPENAPI_PERMISSION = 'x-sightline-permission';
export const OPENAPI_SIGNED = 'x-sightline-signed';

/** Opens a route to anyone: only health, docs, login and refresh. */
export const Public = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(PUBLIC_ROUTE, true), ApiExtension(OPENAPI_PUBLIC, true));

/**
 * The permission a route requires. Every route that is not `@Public()` must
 * declare one; the permission guard refuses routes that do not (fail closed).
 */
export const RequirePermission = (permission: Permission): MethodDecorator =>
  applyDecorators(
    SetMetadata(REQUIRED_PERMISSION, permission),
    ApiExtension(OPENAPI_PERMISSION, { permission, roles: rolesWithPermission(permission) }),
  );

/**
 * A sensitive operation: an API-key caller must sign the request (docs/api.md).
 * `when` narrows it to bodies that ask for the sensitive change.
 */
export interface SignatureRequirement {
  when?: (body: unknown) => boolean;
}
export const RequireSignature = (requirement: SignatureRequirement = {}): MethodDecorator =>
  applyDecorators(SetMetadata(SIGNATURE_REQUIRED, requirement), ApiExtension(OPENAPI_SIGNED, true));

/** The authenticated caller. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const principal = context
      .switchToHttp()
      .getRequest<FastifyRequest & { user?: Principal }>().user;
    if (principal === undefined)
      throw new Error('CurrentPrincipal used on a route without authentication');
    return principal;
  },
);
