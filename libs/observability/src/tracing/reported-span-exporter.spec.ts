import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { FAILURE_REPORT_INTERVAL_MS, ReportedSpanExporter } from './reported-span-exporter';

/** An exporter whose every export answers `result`. */
function answering(result: ExportResult): SpanExporter {
  return {
    export: (_spans, done) => done(result),
    shutdown: () => Promise.resolve(),
  };
}

const spans = (count: number) => Array.from({ length: count }, () => ({}) as ReadableSpan);

describe('ReportedSpanExporter', () => {
  let clock: number;
  let warnings: string[];
  const log = { warn: (message: string) => warnings.push(message) };

  beforeEach(() => {
    clock = 1_000_000;
    warnings = [];
  });

  it('passes results through and stays quiet while exports succeed', () => {
    const results: ExportResult[] = [];
    const exporter = new ReportedSpanExporter(
      answering({ code: ExportResultCode.SUCCESS }),
      'http://collector/v1/traces',
      log,
      () => clock,
    );

    exporter.export(spans(3), (result) => results.push(result));

    expect(results).toEqual([{ code: ExportResultCode.SUCCESS }]);
    expect(warnings).toEqual([]);
  });

  it('warns about a failure at once, then at most once a minute with the spans lost meanwhile', () => {
    const failure = { code: ExportResultCode.FAILED, error: new Error('connect ECONNREFUSED') };
    const results: ExportResult[] = [];
    const exporter = new ReportedSpanExporter(
      answering(failure),
      'http://collector/v1/traces',
      log,
      () => clock,
    );
    const send = (count: number) => exporter.export(spans(count), (result) => results.push(result));

    send(4);
    clock += 1_000;
    send(2);
    clock += FAILURE_REPORT_INTERVAL_MS - 1_000 - 1;
    send(1);
    clock += 1;
    send(5);

    expect(results).toEqual([failure, failure, failure, failure]);
    expect(warnings).toEqual([
      '4 spans could not be sent to http://collector/v1/traces: connect ECONNREFUSED',
      '8 spans could not be sent to http://collector/v1/traces: connect ECONNREFUSED',
    ]);
  });
});
