import type { OrganizationId } from '@app/tenancy';
import { RequestValidationException } from '@app/common';
import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { IdempotencyService } from '../services/idempotency.service';

/** The caller as the authentication guard left it on the request (a Principal). */
interface Caller {
  kind: string;
  id: string;
  organizationId: OrganizationId;
}

export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** Set on a response that repeats the first one for its key. */
export const IDEMPOTENT_REPLAY_HEADER = 'idempotent-replayed';
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** The `Idempotency-Key` header as OpenAPI states it (the bounds `idempotencyKeyOf` enforces). */
export const IDEMPOTENCY_KEY_SCHEMA = {
  type: 'string',
  minLength: 1,
  maxLength: 255,
  pattern: KEY_PATTERN.source,
} as const;

/** The request's `Idempotency-Key`, if it sent one; a 400 when it is malformed. */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const key = request.headers[IDEMPOTENCY_HEADER];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
    throw new RequestValidationException([
      {
        field: 'Idempotency-Key',
        message: 'Idempotency-Key must be 1–255 visible ASCII characters (a UUID is a good choice)',
      },
    ]);
  }
  return key;
}

/**
 * `Idempotency-Key` on a write route (the rules: IdempotencyService).
 * "The same request" is the same caller, method, path with query and body bytes.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly idempotency: IdempotencyService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { user?: Caller; rawBody?: Buffer }>();
    const principal = request.user;
    if (principal === undefined) return next.handle();
    const key = idempotencyKeyOf(request);
    if (key === undefined) return next.handle();
    const hash = createHash('sha256')
      .update(`${principal.kind}:${principal.id}\n${request.method} ${request.url}\n`)
      .update(request.rawBody ?? Buffer.alloc(0))
      .digest('hex');
    const reply = http.getResponse<FastifyReply>();
    return from(this.run(principal.organizationId, key, hash, reply, next));
  }

  private async run(
    organizationId: OrganizationId,
    key: string,
    hash: string,
    reply: FastifyReply,
    next: CallHandler,
  ): Promise<unknown> {
    const outcome = await this.idempotency.begin(organizationId, key, hash);
    if (outcome.kind === 'replay') {
      void reply.status(outcome.status).header(IDEMPOTENT_REPLAY_HEADER, 'true');
      return outcome.body;
    }
    let body: unknown;
    try {
      body = await lastValueFrom(next.handle(), { defaultValue: undefined });
    } catch (error) {
      await this.idempotency.release(organizationId, key).catch(() => undefined);
      throw error;
    }
    // The status the response goes out with: Nest sets the declared one (@HttpCode) before
    // the handler runs, and a handler may change it (`?wait=` answers 200, not 202).
    await this.idempotency.complete(organizationId, key, reply.statusCode, body);
    return body;
  }
}
