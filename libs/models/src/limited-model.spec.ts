import {
  type Model,
  type ModelRequest,
  type ModelResponse,
  type StreamEvent,
  Usage,
} from '@openai/agents';
import { CallLimit, LimitedModel, LimitedModelProvider, ModelCallError } from './limited-model';

/** A model whose calls finish when the test says so, counting how many run at once. */
class GatedModel implements Model {
  running = 0;
  mostAtOnce = 0;
  private readonly gates: Array<() => void> = [];

  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    this.running += 1;
    this.mostAtOnce = Math.max(this.mostAtOnce, this.running);
    try {
      await new Promise<void>((resolve, reject) => {
        this.gates.push(resolve);
        request.signal?.addEventListener('abort', () => reject(new Error('aborted inside')));
      });
      return { usage: new Usage({ requests: 1 }), output: [], responseId: undefined };
    } finally {
      this.running -= 1;
    }
  }

  getStreamedResponse(): AsyncIterable<StreamEvent> {
    throw new Error('not used');
  }

  /** Lets the oldest call finish. */
  open(): void {
    this.gates.shift()?.();
  }
}

function request(signal?: AbortSignal): ModelRequest {
  return {
    input: 'hi',
    modelSettings: {},
    tools: [],
    outputType: 'text',
    handoffs: [],
    tracing: false,
    signal,
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('CallLimit', () => {
  it('refuses a capacity below 1', () => {
    expect(() => new CallLimit(0)).toThrow('at least 1');
  });

  it('admits waiters in arrival order as places free up', async () => {
    const limit = new CallLimit(1);
    const order: string[] = [];
    const first = await limit.acquire();
    const second = limit.acquire().then((release) => {
      order.push('second');
      return release;
    });
    const third = limit.acquire().then((release) => {
      order.push('third');
      return release;
    });
    await tick();
    expect(limit.load).toEqual({ active: 1, waiting: 2 });

    first();
    first(); // a second release of the same place changes nothing
    (await second)();
    (await third)();

    expect(order).toEqual(['second', 'third']);
    expect(limit.load).toEqual({ active: 0, waiting: 0 });
  });

  it('drops a waiter whose signal aborts, with the abort reason', async () => {
    const limit = new CallLimit(1);
    const held = await limit.acquire();
    const controller = new AbortController();
    const waiting = limit.acquire(controller.signal);
    await tick();

    controller.abort(new Error('agent timed out'));

    await expect(waiting).rejects.toThrow('agent timed out');
    expect(limit.load).toEqual({ active: 1, waiting: 0 });
    held();
    expect(limit.load).toEqual({ active: 0, waiting: 0 });
  });

  it('refuses at once when the signal is already aborted', async () => {
    const limit = new CallLimit(1);
    await expect(limit.acquire(AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
    expect(limit.load).toEqual({ active: 0, waiting: 0 });
  });
});

describe('LimitedModel', () => {
  it('never runs more calls at once than the limit, across models sharing it', async () => {
    const inner = new GatedModel();
    const limit = new CallLimit(2);
    const a = new LimitedModel(inner, limit, 'test a');
    const b = new LimitedModel(inner, limit, 'test b');

    const calls = [a, b, a, b, a].map((model) => model.getResponse(request()));
    await tick();
    expect(inner.running).toBe(2);
    expect(limit.load).toEqual({ active: 2, waiting: 3 });
    for (let i = 0; i < 5; i++) {
      inner.open();
      await tick();
    }
    await Promise.all(calls);

    expect(inner.mostAtOnce).toBe(2);
    expect(limit.load).toEqual({ active: 0, waiting: 0 });
  });

  it('names the provider and model when a call fails, keeping the error as its cause', async () => {
    const cause = new Error('Connection error.');
    const failing: Model = {
      getResponse: () => Promise.reject(cause),
      getStreamedResponse: () => {
        throw cause;
      },
    };
    const model = new LimitedModel(failing, new CallLimit(1), 'openai-compatible llama3');

    const error: unknown = await model.getResponse(request()).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ModelCallError);
    expect((error as Error).message).toBe(
      'model call to openai-compatible llama3 failed: Connection error.',
    );
    expect((error as Error).cause).toBe(cause);
  });

  it('passes a cancellation through unchanged and frees its place', async () => {
    const inner = new GatedModel();
    const limit = new CallLimit(1);
    const model = new LimitedModel(inner, limit, 'test');
    const controller = new AbortController();

    const call = model.getResponse(request(controller.signal));
    await tick();
    controller.abort();

    await expect(call).rejects.toThrow('aborted inside');
    expect(limit.load).toEqual({ active: 0, waiting: 0 });
  });

  it('holds its place while a stream is read and frees it when the stream ends', async () => {
    const limit = new CallLimit(1);
    const streaming: Model = {
      getResponse: () => Promise.reject(new Error('not used')),
      async *getStreamedResponse() {
        await Promise.resolve();
        yield { type: 'response_started' };
        yield { type: 'response_started' };
      },
    };
    const model = new LimitedModel(streaming, limit, 'test');

    const events: StreamEvent[] = [];
    for await (const event of model.getStreamedResponse(request())) {
      events.push(event);
      expect(limit.load.active).toBe(1);
    }

    expect(events).toHaveLength(2);
    expect(limit.load.active).toBe(0);
  });

  it("asks the inner model's retry advice about the original error", () => {
    const cause = new Error('429');
    const getRetryAdvice = jest.fn().mockReturnValue({ suggested: true });
    const inner: Model = {
      getResponse: () => Promise.reject(cause),
      getStreamedResponse: () => {
        throw cause;
      },
      getRetryAdvice,
    };
    const model = new LimitedModel(inner, new CallLimit(1), 'test');

    const advice = model.getRetryAdvice({
      request: request(),
      error: new ModelCallError('test', cause),
      attempt: 1,
      stream: false,
    });

    expect(advice).toEqual({ suggested: true });
    expect(getRetryAdvice).toHaveBeenCalledWith(expect.objectContaining({ error: cause }));
  });
});

describe('LimitedModelProvider', () => {
  it('wraps each model once per name, behind the shared limit', async () => {
    const inner = new GatedModel();
    const getModel = jest.fn().mockResolvedValue(inner);
    const provider = new LimitedModelProvider({ getModel }, new CallLimit(1), 'openai');

    const first = await provider.getModel('gpt-4.1-mini');
    const again = await provider.getModel('gpt-4.1-mini');

    expect(first).toBeInstanceOf(LimitedModel);
    expect(again).toBe(first);
    expect(getModel).toHaveBeenCalledTimes(1);
    expect(getModel).toHaveBeenCalledWith('gpt-4.1-mini');
  });

  it('asks again after a failed lookup', async () => {
    const getModel = jest
      .fn()
      .mockRejectedValueOnce(new Error('unknown model'))
      .mockResolvedValue(new GatedModel());
    const provider = new LimitedModelProvider({ getModel }, new CallLimit(1), 'openai');

    await expect(provider.getModel('m')).rejects.toThrow('unknown model');
    await expect(provider.getModel('m')).resolves.toBeInstanceOf(LimitedModel);
  });
});
