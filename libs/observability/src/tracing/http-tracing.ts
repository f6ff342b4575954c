import {
  type Attributes,
  type Context,
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
  type Tracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { FastifyInstance } from 'fastify';
import type { IncomingMessage } from 'node:http';

/** Probes and scrapes: frequent, uninteresting, and they would drown the traces. */
const UNTRACED_ROUTES = /^\/(health\/|metrics$)/;

const propagator = new W3CTraceContextPropagator();
/** The span of each request in flight, by its Node request (which pino's hooks also see). */
const requestSpans = new WeakMap<IncomingMessage, Span>();

/**
 * A SERVER span per HTTP request, named and attributed after OpenTelemetry's HTTP
 * conventions (`POST /v1/analyses`, method, route template, path without the query,
 * status; an error for 5xx), continuing the caller's trace when it sends a W3C
 * `traceparent`. The query string is left out: it may hold what the caller searched for.
 * The route handler runs with the span as the active OpenTelemetry context.
 */
export function traceHttpRequests(fastify: FastifyInstance, tracer: Tracer): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url;
    if (route !== undefined && UNTRACED_ROUTES.test(route)) {
      done();
      return;
    }
    const parent = propagator.extract(ROOT_CONTEXT, request.headers, defaultTextMapGetter);
    const attributes: Attributes = {
      'http.request.method': request.method,
      'url.path': request.url.split('?')[0],
      'url.scheme': request.protocol,
      'client.address': request.ip,
      'sightline.request_id': request.id,
    };
    if (route !== undefined) attributes['http.route'] = route;
    const userAgent = request.headers['user-agent'];
    if (userAgent !== undefined) attributes['user_agent.original'] = userAgent;
    const name = route === undefined ? request.method : `${request.method} ${route}`;
    const span = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
    // Nothing recorded and no caller's trace to pass on (no SDK, no `traceparent`): the
    // request goes on as if untraced, sparing it the context switch and log bindings.
    if (span.isRecording() || trace.isSpanContextValid(span.spanContext())) {
      requestSpans.set(request.raw, span);
    }
    done();
  });
  fastify.addHook('preHandler', (request, _reply, done) => {
    const span = requestSpans.get(request.raw);
    if (span === undefined) {
      done();
      return;
    }
    // Fastify calls the handler (Nest's guards, controller, services) from `done`, so it and
    // all it awaits see the request's span as the active context (a Nest interceptor did the
    // same at ~25 % of the throughput of a small route: `npm run bench -- http`).
    context.with(trace.setSpan(ROOT_CONTEXT, span), done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const span = takeSpan(request.raw);
    if (span !== undefined) {
      span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) {
        span.setAttribute('error.type', String(reply.statusCode));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    }
    done();
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    const span = takeSpan(request.raw);
    if (span !== undefined) {
      span.setAttribute('error.type', 'aborted');
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'the client closed the connection' });
      span.end();
    }
    done();
  });
}

function takeSpan(request: IncomingMessage): Span | undefined {
  const span = requestSpans.get(request);
  requestSpans.delete(request);
  return span;
}

/**
 * The trace ids of a request for its log lines: the trace whenever there is one (also
 * a caller's, when this process records nothing), the span only when it is ours; nothing
 * (not even an empty object, which would cost pino a child logger) without a trace.
 */
export function requestTraceIds(request: IncomingMessage): Record<string, string> | undefined {
  const span = requestSpans.get(request);
  if (span === undefined) return undefined;
  const { traceId, spanId } = span.spanContext();
  return span.isRecording() ? { traceId, spanId } : { traceId };
}

/**
 * The active trace context as W3C headers (`traceparent`, `tracestate`), for work that
 * continues elsewhere (a queued job); empty when there is no trace.
 */
export function activeTraceContext(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagator.inject(context.active(), carrier, defaultTextMapSetter);
  return carrier;
}

/** The context `carrier` (from {@link activeTraceContext}) continues; the root when none. */
export function traceContextFrom(carrier: Record<string, string> | undefined): Context {
  return carrier === undefined
    ? ROOT_CONTEXT
    : propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
}
