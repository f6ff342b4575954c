import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';

/**
 * A chore run every `everyMs` in each process that provides it (deleting expired rows and
 * the like): it must be harmless when several processes run it at once. A failure is
 * logged and the next round tries again.
 */
export abstract class Housekeeping implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | undefined;

  protected constructor(
    /** What is cleaned, for the log: "expired idempotency keys". */
    private readonly what: string,
    private readonly everyMs: number,
  ) {
    this.logger = new Logger(new.target.name);
  }

  /** One round; answers how many things it removed. */
  protected abstract clean(): Promise<number>;

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.runOnce(), this.everyMs).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async runOnce(): Promise<void> {
    try {
      const removed = await this.clean();
      if (removed > 0) this.logger.log(`Removed ${removed} ${this.what}`);
    } catch (error) {
      this.logger.warn(`Removing ${this.what} failed: ${String(error)}`);
    }
  }
}
