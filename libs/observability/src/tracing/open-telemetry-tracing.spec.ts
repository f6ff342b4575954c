import { loadConfig } from '@app/config';
import { Logger } from '@nestjs/common';
import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { OpenTelemetryTracing } from './open-telemetry-tracing';

/** Nothing listens there: these tests record spans but never let one be exported. */
const NOWHERE = 'http://127.0.0.1:9';

function tracing(environment: Record<string, string>): OpenTelemetryTracing {
  return new OpenTelemetryTracing(
    loadConfig({ NODE_ENV: 'test', OTEL_EXPORTER_OTLP_ENDPOINT: NOWHERE, ...environment }),
  );
}

/** Whether a root span, and a child of a sampled remote parent, are recorded. */
function recorded(subject: OpenTelemetryTracing): { root: boolean; childOfSampled: boolean } {
  const tracer = subject.tracer('spec');
  const root = tracer.startSpan('root', {}, ROOT_CONTEXT);
  const sampledParent = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    traceFlags: 1,
    isRemote: true,
  });
  const child = tracer.startSpan('child', {}, sampledParent);
  return { root: root.isRecording(), childOfSampled: child.isRecording() };
}

describe('OpenTelemetryTracing', () => {
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => context.disable());

  it('records every trace by default, following a caller that sampled its own', () => {
    expect(recorded(tracing({}))).toEqual({ root: true, childOfSampled: true });
  });

  it.each([
    ['always_off', '1', { root: false, childOfSampled: false }],
    ['parentbased_always_off', '1', { root: false, childOfSampled: true }],
    ['traceidratio', '0', { root: false, childOfSampled: false }],
    ['parentbased_traceidratio', '0', { root: false, childOfSampled: true }],
    ['parentbased_traceidratio', '1', { root: true, childOfSampled: true }],
  ])('OTEL_TRACES_SAMPLER=%s (ratio %s)', (sampler, ratio, expected) => {
    const subject = tracing({ OTEL_TRACES_SAMPLER: sampler, OTEL_TRACES_SAMPLER_ARG: ratio });
    expect(recorded(subject)).toEqual(expected);
  });

  it('without an endpoint, hands out the global (no-op) tracers and records nothing', () => {
    const subject = new OpenTelemetryTracing(loadConfig({ NODE_ENV: 'test' }));
    expect(recorded(subject)).toEqual({ root: false, childOfSampled: false });
  });
});
