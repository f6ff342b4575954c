import { IdempotencyModule, IdempotencyPruner } from '@app/idempotency';
import { Module } from '@nestjs/common';

/**
 * Everything that works in the background: job consumers (analyses, report
 * runs) and housekeeping. The worker process always imports it; the api
 * imports it too when `WORKERS=inline` (the default), so one process is a
 * whole Sightline. Feature issues add their job modules to `imports`.
 */
@Module({ imports: [IdempotencyModule], providers: [IdempotencyPruner] })
export class BackgroundModule {}
