import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { IdempotencyService } from './idempotency.service';

const PRUNE_EVERY_MS = 3600 * 1000;

/**
 * Housekeeping: deletes idempotency keys past their 24 hours, hourly. Harmless when
 * several processes do it at once (the same DELETE).
 */
@Injectable()
export class IdempotencyPruner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(IdempotencyPruner.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly idempotency: IdempotencyService) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.prune(), PRUNE_EVERY_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async prune(): Promise<void> {
    try {
      const deleted = await this.idempotency.prune();
      if (deleted > 0) this.logger.log(`Pruned ${deleted} expired idempotency keys`);
    } catch (error) {
      this.logger.warn(`Pruning idempotency keys failed: ${String(error)}`);
    }
  }
}
