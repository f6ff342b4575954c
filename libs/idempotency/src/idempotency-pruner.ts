import { Housekeeping } from '@app/common';
import { Injectable } from '@nestjs/common';
import { IdempotencyService } from './idempotency.service';

/** Deletes idempotency keys past their 24 hours, hourly. */
@Injectable()
export class IdempotencyPruner extends Housekeeping {
  constructor(private readonly idempotency: IdempotencyService) {
    super('expired idempotency keys', 3600 * 1000);
  }

  protected clean(): Promise<number> {
    return this.idempotency.prune();
  }
}
