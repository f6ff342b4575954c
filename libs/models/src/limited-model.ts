import type {
  Model,
  ModelProvider,
  ModelRequest,
  ModelResponse,
  ModelRetryAdvice,
  ModelRetryAdviceRequest,
  StreamEvent,
} from '@openai/agents';

/**
 * At most `capacity` holders at once; the others wait in arrival order. A waiter whose
 * signal aborts leaves the queue at once, so a timed-out agent does not keep a place.
 */
export class CallLimit {
  private active = 0;
  private readonly waiting = new Set<() => void>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new Error(`a call limit needs a capacity of at least 1 (got ${capacity})`);
    }
  }

  /** Calls running now, and calls waiting for their turn. */
  get load(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.waiting.size };
  }

  /** Waits for a place; the returned function gives it back (once, however often called). */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.active < this.capacity) {
      this.active += 1;
      return this.releaser();
    }
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.waiting.delete(grant);
        reject(abortReason(signal));
      };
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.waiting.add(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    // The place was handed over by its last holder: `active` already counts it.
    return this.releaser();
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.values().next();
      if (next.done === true) {
        this.active -= 1;
        return;
      }
      this.waiting.delete(next.value);
      next.value();
    };
  }
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new Error('aborted');
}

/** A model call that failed for a reason other than its own cancellation. */
export class ModelCallError extends Error {
  constructor(label: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`model call to ${label} failed: ${detail}`, { cause });
    this.name = 'ModelCallError';
  }
}

/**
 * A model that waits for a place in a shared {@link CallLimit} before each call: the SDK
 * has none (STACK.md), and four agents per analysis times concurrent analyses would
 * otherwise all hit a rate-limited API at once. Time spent waiting counts against the
 * agent's time limit, since the request's signal aborts the wait too.
 *
 * A failure is rethrown naming the provider and model, so an agent that failed on an
 * unreachable server says so ("model call to openai-compatible llama3 failed:
 * Connection error.") rather than a bare client message; the original is its `cause`.
 * Cancellation is rethrown as it is, so the orchestrator can tell a timeout.
 */
export class LimitedModel implements Model {
  constructor(
    private readonly inner: Model,
    private readonly limit: CallLimit,
    private readonly label: string,
  ) {}

  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    const release = await this.limit.acquire(request.signal);
    try {
      return await this.inner.getResponse(request);
    } catch (error) {
      throw this.explain(error, request.signal);
    } finally {
      release();
    }
  }

  async *getStreamedResponse(request: ModelRequest): AsyncIterable<StreamEvent> {
    const release = await this.limit.acquire(request.signal);
    try {
      // The place is held until the stream ends (or its consumer stops reading).
      yield* this.inner.getStreamedResponse(request);
    } catch (error) {
      throw this.explain(error, request.signal);
    } finally {
      release();
    }
  }

  /** The inner model's advice, judged on the error it threw rather than our wrapper. */
  getRetryAdvice(
    args: ModelRetryAdviceRequest,
  ): Promise<ModelRetryAdvice | undefined> | ModelRetryAdvice | undefined {
    const error = args.error instanceof ModelCallError ? args.error.cause : args.error;
    return this.inner.getRetryAdvice?.({ ...args, error });
  }

  private explain(error: unknown, signal: AbortSignal | undefined): unknown {
    if (signal?.aborted === true || error instanceof ModelCallError) return error;
    return new ModelCallError(this.label, error);
  }
}

/**
 * Wraps every model `inner` hands out in a {@link LimitedModel} sharing one limit, so the
 * cap holds across agents, runs and analyses in this process.
 */
export class LimitedModelProvider implements ModelProvider {
  private readonly models = new Map<string, Promise<Model>>();

  constructor(
    private readonly inner: ModelProvider,
    private readonly limit: CallLimit,
    private readonly providerName: string,
  ) {}

  getModel(modelName?: string): Promise<Model> {
    const key = modelName ?? '';
    let model = this.models.get(key);
    if (model === undefined) {
      model = Promise.resolve(this.inner.getModel(modelName)).then(
        (inner) =>
          new LimitedModel(inner, this.limit, `${this.providerName} ${modelName ?? '(default)'}`),
      );
      // A failed lookup is not cached: the next agent asks again.
      void model.catch(() => this.models.delete(key));
      this.models.set(key, model);
    }
    return model;
  }
}
