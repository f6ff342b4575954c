import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { resolveRequestId } from './request-id';

/** Where a request came from, for audit records. */
export interface RequestMeta {
  ip: string;
  userAgent: string | null;
  requestId: string;
}

export function requestMetaOf(request: FastifyRequest): RequestMeta {
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip, userAgent: userAgent ?? null, requestId: resolveRequestId(request.raw) };
}

/** Injects the {@link RequestMeta} of the current request into a controller method. */
export const RequestMetadata = createParamDecorator(
  (_data: unknown, context: ExecutionContext): RequestMeta =>
    requestMetaOf(context.switchToHttp().getRequest<FastifyRequest>()),
);
