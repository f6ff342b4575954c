export interface ShutdownLogger {
  info(message: string): void;
  error(message: string): void;
}

export interface GracefulShutdownOptions {
  /** Stop taking work, let in-flight work finish, release resources. */
  close: () => Promise<void>;
  /** Longest time `close` may take before the process gives up and exits 1. */
  timeoutMs: number;
  logger: ShutdownLogger;
  /** Injected for tests; the real process otherwise. */
  exit?: (code: number) => void;
  signals?: NodeJS.Signals[];
  emitter?: Pick<NodeJS.Process, 'on'>;
}

/**
 * On SIGTERM or SIGINT: run `close` once, then exit 0; exit 1 if it fails or
 * outlives the timeout. A second signal while draining exits 1 at once.
 * (Nest's own shutdown hooks re-raise the signal, which exits 143 rather than 0.)
 */
export function installGracefulShutdown(options: GracefulShutdownOptions): void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const emitter = options.emitter ?? process;
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  let closing = false;

  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) {
      options.logger.error(`${signal} received again while shutting down; exiting now`);
      exit(1);
      return;
    }
    closing = true;
    options.logger.info(
      `${signal} received; draining in-flight work (up to ${options.timeoutMs} ms)`,
    );
    const timer = setTimeout(() => {
      options.logger.error(`Shutdown did not finish within ${options.timeoutMs} ms; exiting`);
      exit(1);
    }, options.timeoutMs);
    timer.unref();
    options.close().then(
      () => {
        clearTimeout(timer);
        options.logger.info('Shutdown complete');
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(timer);
        options.logger.error(
          `Shutdown failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        exit(1);
      },
    );
  };

  for (const signal of signals) emitter.on(signal, onSignal);
}
