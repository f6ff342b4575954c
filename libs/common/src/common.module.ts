import { Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ProblemDetailsFilter } from './errors/problem-details.filter';
import { ServiceLifecycle } from './lifecycle/service-lifecycle';
import { createValidationPipe } from './validation/validation.pipe';

/**
 * The request pipeline every app shares, registered as `APP_*` providers so the
 * same pipeline runs in tests as in production.
 */
@Global()
@Module({
  providers: [
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    { provide: APP_PIPE, useFactory: createValidationPipe },
    ServiceLifecycle,
  ],
  exports: [ServiceLifecycle],
})
export class CommonModule {}
