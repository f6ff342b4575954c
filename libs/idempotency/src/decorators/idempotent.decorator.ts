import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import {
  IDEMPOTENCY_KEY_SCHEMA,
  IdempotencyInterceptor,
} from '../interceptors/idempotency.interceptor';

/** The route honours `Idempotency-Key` (docs/api.md, Idempotency). */
export const Idempotent = (): MethodDecorator =>
  applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      schema: IDEMPOTENCY_KEY_SCHEMA,
      description:
        'Makes a retry safe: the same key with the same request within 24 h answers the first ' +
        'response (with `Idempotent-Replayed: true`) and writes nothing again; with a different ' +
        'request it is a 409.',
    }),
  );
