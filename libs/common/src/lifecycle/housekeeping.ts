import type { Logger } from '@nestjs/common';

/**
 * One round of a chore a schedule runs in each process that has it (deleting expired rows
 * and the like), so it must be harmless when several processes run it at once. `clean`
 * answers how many things it removed; a failure is logged and the next round tries again.
 */
export async function runHousekeeping(
  logger: Logger,
  /** What is cleaned, for the log: "expired idempotency keys". */
  what: string,
  clean: () => Promise<number>,
): Promise<void> {
  try {
    const removed = await clean();
    if (removed > 0) logger.log(`Removed ${removed} ${what}`);
  } catch (error) {
    logger.warn(`Removing ${what} failed: ${String(error)}`);
  }
}
