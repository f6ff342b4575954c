import { EventEmitter } from 'node:events';
import { type GracefulShutdownOptions, installGracefulShutdown } from './graceful-shutdown';

interface Harness {
  emitter: EventEmitter;
  exit: jest.Mock<void, [number]>;
  close: jest.Mock<Promise<void>, []>;
  logger: { info: jest.Mock<void, [string]>; error: jest.Mock<void, [string]> };
}

function install(
  close: () => Promise<void>,
  overrides: Partial<GracefulShutdownOptions> = {},
): Harness {
  const harness: Harness = {
    emitter: new EventEmitter(),
    exit: jest.fn<void, [number]>(),
    close: jest.fn(close),
    logger: { info: jest.fn<void, [string]>(), error: jest.fn<void, [string]>() },
  };
  installGracefulShutdown({
    close: harness.close,
    timeoutMs: 1_000,
    logger: harness.logger,
    exit: harness.exit,
    emitter: harness.emitter as unknown as GracefulShutdownOptions['emitter'],
    ...overrides,
  });
  return harness;
}

/** Lets the promise callbacks of `close()` run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
}

describe('installGracefulShutdown', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('does nothing until a signal arrives', () => {
    const { close, exit } = install(() => Promise.resolve());

    expect(close).not.toHaveBeenCalled();
    expect(exit).not.toHaveBeenCalled();
  });

  it.each(['SIGTERM', 'SIGINT'])('on %s closes once, then exits 0', async (signal) => {
    const { emitter, close, exit } = install(() => Promise.resolve());

    emitter.emit(signal, signal);
    expect(exit).not.toHaveBeenCalled();
    await settle();

    expect(close).toHaveBeenCalledTimes(1);
    expect(exit.mock.calls).toEqual([[0]]);
  });

  it('does not exit 1 when the timeout would have passed after a clean close', async () => {
    const { emitter, exit } = install(() => Promise.resolve());

    emitter.emit('SIGTERM', 'SIGTERM');
    await settle();
    jest.advanceTimersByTime(5_000);

    expect(exit.mock.calls).toEqual([[0]]);
  });

  it('exits 1 when close rejects, logging why', async () => {
    const { emitter, exit, logger } = install(() => Promise.reject(new Error('pool stuck')));

    emitter.emit('SIGTERM', 'SIGTERM');
    await settle();

    expect(exit.mock.calls).toEqual([[1]]);
    expect(logger.error).toHaveBeenCalledWith('Shutdown failed: pool stuck');
  });

  it('exits 1 once timeoutMs passes while close never resolves', async () => {
    const { emitter, exit } = install(() => new Promise<void>(() => undefined), {
      timeoutMs: 20,
    });

    emitter.emit('SIGTERM', 'SIGTERM');
    await settle();
    jest.advanceTimersByTime(19);
    expect(exit).not.toHaveBeenCalled();

    jest.advanceTimersByTime(1);
    expect(exit.mock.calls).toEqual([[1]]);
  });

  it('exits 1 at once on a second signal while closing, without closing again', async () => {
    const { emitter, close, exit } = install(() => new Promise<void>(() => undefined));

    emitter.emit('SIGTERM', 'SIGTERM');
    await settle();
    expect(exit).not.toHaveBeenCalled();

    emitter.emit('SIGTERM', 'SIGTERM');

    expect(exit.mock.calls).toEqual([[1]]);
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('listens only to the signals it is given', async () => {
    const { emitter, close } = install(() => Promise.resolve(), { signals: ['SIGUSR2'] });

    emitter.emit('SIGTERM', 'SIGTERM');
    await settle();
    expect(close).not.toHaveBeenCalled();

    emitter.emit('SIGUSR2', 'SIGUSR2');
    expect(close).toHaveBeenCalledTimes(1);
  });
});
