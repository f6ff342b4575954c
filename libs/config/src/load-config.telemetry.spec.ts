import { loadConfig } from './load-config';
import { problemsOf } from './testing/config-problems';

describe('loadConfig: OpenTelemetry', () => {
  it('exports no spans of its own by default, under the service name sightline', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).telemetry).toEqual({
      serviceName: 'sightline',
      traces: {
        endpoint: undefined,
        headers: {},
        timeoutMs: 10_000,
        sampler: 'parentbased_always_on',
        ratio: 1,
      },
    });
  });

  it('appends /v1/traces to OTEL_EXPORTER_OTLP_ENDPOINT, with or without a trailing slash', () => {
    for (const base of ['http://collector:4318', 'http://collector:4318/']) {
      const config = loadConfig({ NODE_ENV: 'test', OTEL_EXPORTER_OTLP_ENDPOINT: base });
      expect(config.telemetry.traces.endpoint).toBe('http://collector:4318/v1/traces');
    }
    const prefixed = loadConfig({
      NODE_ENV: 'test',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example.com/ingest/',
    });
    expect(prefixed.telemetry.traces.endpoint).toBe('https://otel.example.com/ingest/v1/traces');
  });

  it('takes OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as it is, over the general endpoint', () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces.internal:9999/custom',
    });
    expect(config.telemetry.traces.endpoint).toBe('http://traces.internal:9999/custom');
  });

  it('reads OTEL_EXPORTER_OTLP_HEADERS as name=value pairs with percent-encoded values', () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20abc%3D, x-tenant = acme ,',
      OTEL_SERVICE_NAME: 'sightline-eu',
      OTEL_EXPORTER_OTLP_TIMEOUT: '2500',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
    });
    expect(config.telemetry).toEqual({
      serviceName: 'sightline-eu',
      traces: {
        endpoint: 'http://collector:4318/v1/traces',
        headers: { authorization: 'Bearer abc=', 'x-tenant': 'acme' },
        timeoutMs: 2500,
        sampler: 'parentbased_traceidratio',
        ratio: 0.25,
      },
    });
  });

  it.each([
    [
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' },
      'OTEL_EXPORTER_OTLP_ENDPOINT: must be an http:// or https:// URL',
    ],
    [
      { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'grpc://collector:4317' },
      'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: must be an http:// or https:// URL',
    ],
    [
      { OTEL_EXPORTER_OTLP_HEADERS: 'authorization' },
      'OTEL_EXPORTER_OTLP_HEADERS: must be a comma list of name=value (percent-encoded values); bad entry: authorization',
    ],
    [
      { OTEL_EXPORTER_OTLP_HEADERS: 'ok=1,bad name=2' },
      'OTEL_EXPORTER_OTLP_HEADERS: must be a comma list of name=value (percent-encoded values); bad entry: bad name',
    ],
    [
      { OTEL_EXPORTER_OTLP_HEADERS: 'key=%E0%A4%A' },
      'OTEL_EXPORTER_OTLP_HEADERS: must be a comma list of name=value (percent-encoded values); bad entry: key',
    ],
    [{ OTEL_EXPORTER_OTLP_TIMEOUT: '50' }, 'OTEL_EXPORTER_OTLP_TIMEOUT: must be at least 100'],
    [
      { OTEL_TRACES_SAMPLER: 'sometimes' },
      'OTEL_TRACES_SAMPLER: must be one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio',
    ],
    [
      { OTEL_TRACES_SAMPLER_ARG: '1.5' },
      'OTEL_TRACES_SAMPLER_ARG: must be a ratio from 0 to 1, e.g. 0.25',
    ],
    [
      { OTEL_SERVICE_NAME: 'two words' },
      'OTEL_SERVICE_NAME: must be a name without spaces (at most 100 characters)',
    ],
  ])('rejects %j', (environment, problem) => {
    expect(problemsOf({ NODE_ENV: 'test', ...environment })).toEqual([problem]);
  });
});
