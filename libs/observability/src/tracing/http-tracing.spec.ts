import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import Fastify, { type FastifyInstance } from 'fastify';
import { requestTraceIds, traceHttpRequests } from './http-tracing';

const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

/** A bare Fastify app whose routes say which trace ids their request would log. */
function server(tracer = trace.getTracer('spec')): FastifyInstance {
  const fastify = Fastify();
  traceHttpRequests(fastify, tracer);
  fastify.get('/v1/things/:id', (request) => ({ ids: requestTraceIds(request.raw) ?? null }));
  fastify.get('/v1/active', async () => {
    await new Promise((resolve) => setImmediate(resolve));
    return { activeSpanId: trace.getActiveSpan()?.spanContext().spanId };
  });
  fastify.get('/v1/broken', (_request, reply) => reply.status(503).send({ down: true }));
  fastify.get('/health/live', (request) => ({ ids: requestTraceIds(request.raw) ?? null }));
  return fastify;
}

describe('traceHttpRequests', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  let fastify: FastifyInstance;
  const contextManager = new AsyncLocalStorageContextManager();

  beforeAll(() => {
    context.setGlobalContextManager(contextManager.enable());
  });

  afterAll(() => {
    context.disable();
  });

  beforeEach(() => {
    exporter.reset();
    fastify = server(provider.getTracer('spec'));
  });

  afterEach(() => fastify.close());

  it('makes a server span named by the route template, and the request logs its ids', async () => {
    const response = await fastify.inject({
      url: '/v1/things/42?secret=1',
      headers: { 'user-agent': 'spec-agent/1.0' },
    });

    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('GET /v1/things/:id');
    expect(span?.kind).toBe(SpanKind.SERVER);
    expect(span?.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/v1/things/:id',
      'url.path': '/v1/things/42',
      'user_agent.original': 'spec-agent/1.0',
      'http.response.status_code': 200,
    });
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
    expect(response.json()).toEqual({
      ids: { traceId: span?.spanContext().traceId, spanId: span?.spanContext().spanId },
    });
  });

  it("runs the handler in the request span's context, also after an await", async () => {
    const response = await fastify.inject({ url: '/v1/active' });

    const [span] = exporter.getFinishedSpans();
    expect(response.json()).toEqual({ activeSpanId: span?.spanContext().spanId });
  });

  it("marks a 5xx as the server's error", async () => {
    await fastify.inject({ url: '/v1/broken' });

    const [span] = exporter.getFinishedSpans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes['error.type']).toBe('503');
  });

  it("continues the caller's trace", async () => {
    await fastify.inject({
      url: '/v1/things/1',
      headers: { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` },
    });

    const [span] = exporter.getFinishedSpans();
    expect(span?.spanContext().traceId).toBe(CALLER_TRACE);
    expect(span?.parentSpanContext?.spanId).toBe(CALLER_SPAN);
  });

  it('leaves health probes out', async () => {
    const response = await fastify.inject({ url: '/health/live' });

    expect(response.json()).toEqual({ ids: null });
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it("logs a caller's trace id even when this process records nothing", async () => {
    const untraced = server(); // the global API: no SDK registered, nothing recorded
    try {
      const withCaller = await untraced.inject({
        url: '/v1/things/1',
        headers: { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` },
      });
      const without = await untraced.inject({ url: '/v1/things/1' });

      expect(withCaller.json()).toEqual({ ids: { traceId: CALLER_TRACE } });
      expect(without.json()).toEqual({ ids: null });
    } finally {
      await untraced.close();
    }
  });
});
