import type { Principal } from '@app/access';
import { ProblemException } from '@app/common';
import { AppConfig } from '@app/config';
import {
  applyDecorators,
  type CanActivate,
  type ExecutionContext,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiExtension } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

const LONG_REQUEST = 'sightline:long-request';
/** OpenAPI extension marking a route whose requests count against the long-request caps. */
export const OPENAPI_LONG_REQUEST = 'x-sightline-long-request';
/** What a caller over its cap is told to wait: long requests end in seconds to minutes. */
export const LONG_REQUEST_RETRY_AFTER_SECONDS = 5;

/**
 * Marks a route whose requests last as long as their client keeps them (exports, event
 * streams, uploads): each holds one of its caller's and its organization's long-request
 * slots until the response ends ({@link LongRequestGuard}).
 */
export const LongRequest = (): MethodDecorator =>
  applyDecorators(SetMetadata(LONG_REQUEST, true), ApiExtension(OPENAPI_LONG_REQUEST, true));

/**
 * Caps the long requests open at once per principal (`LONG_REQUESTS_PER_PRINCIPAL`) and per
 * organization (`LONG_REQUESTS_PER_ORGANIZATION`); over either, a 429 `too-many-long-requests`
 * with `Retry-After`. A slot is given back when the response ends, however it ends.
 *
 * The counts are this process's own, on purpose: what they protect — the database pool,
 * sockets and memory a stream holds — is per process, and a count in Redis would outlive a
 * replica that died holding slots. With N replicas behind a balancer, a caller can hold up
 * to N times the cap in all.
 */
@Injectable()
export class LongRequestGuard implements CanActivate {
  private readonly open = new Map<string, number>();

  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const marked = this.reflector.get<boolean | undefined>(LONG_REQUEST, context.getHandler());
    if (marked !== true) return true;
    const http = context.switchToHttp();
    const principal = http.getRequest<FastifyRequest & { user?: Principal }>().user;
    if (principal === undefined) return true;
    const reply = http.getResponse<FastifyReply>();
    const { perPrincipal, perOrganization } = this.config.longRequests;
    const keys = [
      { key: `principal:${principal.kind}:${principal.id}`, cap: perPrincipal, who: 'you have' },
      {
        key: `organization:${principal.organizationId}`,
        cap: perOrganization,
        who: 'your organization has',
      },
    ];
    for (const { key, cap, who } of keys) {
      if ((this.open.get(key) ?? 0) >= cap) {
        void reply.header('retry-after', String(LONG_REQUEST_RETRY_AFTER_SECONDS));
        throw new ProblemException(
          429,
          'too-many-long-requests',
          `${who} ${cap} exports, event streams or uploads open, the most allowed at once; ` +
            `finish one (or wait ${LONG_REQUEST_RETRY_AFTER_SECONDS} s) and try again`,
        );
      }
    }
    for (const { key } of keys) this.open.set(key, (this.open.get(key) ?? 0) + 1);
    let released = false;
    reply.raw.once('close', () => {
      if (released) return;
      released = true;
      for (const { key } of keys) {
        const left = (this.open.get(key) ?? 1) - 1;
        if (left <= 0) this.open.delete(key);
        else this.open.set(key, left);
      }
    });
    return true;
  }
}
