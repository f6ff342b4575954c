import {
  applyDecorators,
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiHeader } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { RequestValidationException } from '../errors/problem';
import { IDEMPOTENCY_HEADER } from './idempotency.interceptor';

const REFUSAL_REASON = 'sightline:idempotency-key-refused';

/** Answers 400 to a request with `Idempotency-Key` on a route that cannot honour it. */
@Injectable()
export class IdempotencyKeyRefusal implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (request.headers[IDEMPOTENCY_HEADER] === undefined) return next.handle();
    const reason = this.reflector.get<string>(REFUSAL_REASON, context.getHandler());
    throw new RequestValidationException([
      { field: 'Idempotency-Key', message: `not accepted on this route: ${reason}` },
    ]);
  }
}

/**
 * A write that cannot honour `Idempotency-Key` (API.md, Conventions) says so with a 400
 * naming `reason`, rather than ignoring the key: a client that sent one relies on a retry
 * not writing twice.
 */
export const RefusesIdempotencyKey = (reason: string): MethodDecorator =>
  applyDecorators(
    SetMetadata(REFUSAL_REASON, reason),
    UseInterceptors(IdempotencyKeyRefusal),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: `Not accepted here (a 400): ${reason}.`,
    }),
  );
