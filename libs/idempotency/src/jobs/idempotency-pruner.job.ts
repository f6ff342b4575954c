import { runHousekeeping } from '@app/common';
import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { IdempotencyService } from '../services/idempotency.service';

const EVERY_MS = 3600 * 1000;

/** Deletes idempotency keys past their 24 hours, hourly. */
@Injectable()
export class IdempotencyPrunerJob {
  private readonly logger = new Logger(IdempotencyPrunerJob.name);

  constructor(private readonly idempotency: IdempotencyService) {}

  @Interval('idempotency-pruner', EVERY_MS)
  async runOnce(): Promise<void> {
    await runHousekeeping(this.logger, 'expired idempotency keys', () => this.idempotency.prune());
  }
}
