import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

/** Where failures are reported: Nest's `Logger` fits. */
export interface ExportFailureLog {
  warn(message: string): void;
}

/** Shortest time between two failure warnings; the spans dropped meanwhile are counted. */
export const FAILURE_REPORT_INTERVAL_MS = 60_000;

/**
 * An exporter that says when its spans could not be sent. OpenTelemetry reports a failed
 * export only to its `diag` logger, silent by default, so a collector that is down or
 * refuses the credentials would lose every span unnoticed. One warning per
 * {@link FAILURE_REPORT_INTERVAL_MS} at most, with the number of spans lost since the last.
 */
export class ReportedSpanExporter implements SpanExporter {
  private lastReportAt = Number.NEGATIVE_INFINITY;
  private unreportedSpans = 0;

  constructor(
    private readonly inner: SpanExporter,
    private readonly destination: string,
    private readonly log: ExportFailureLog,
    private readonly now: () => number = Date.now,
  ) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      if (result.code === ExportResultCode.FAILED) this.failed(spans.length, result.error);
      done(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }

  private failed(spans: number, error: Error | undefined): void {
    this.unreportedSpans += spans;
    const now = this.now();
    if (now - this.lastReportAt < FAILURE_REPORT_INTERVAL_MS) return;
    this.log.warn(
      `${this.unreportedSpans} spans could not be sent to ${this.destination}: ${error?.message ?? 'export failed'}`,
    );
    this.lastReportAt = now;
    this.unreportedSpans = 0;
  }
}
