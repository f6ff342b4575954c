import { OpenTelemetryTracing, PrometheusService, traceContextFrom } from '@app/observability';
import { Injectable, Optional } from '@nestjs/common';
import { context, type Span, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { Counter, Histogram } from 'prom-client';
import type { DeliveryOutcome } from '../entities/report-delivery.entity';

export const REPORT_TRACER_NAME = 'sightline.reports';

/**
 * What reports tell Prometheus (runs by outcome, generation time, delivery attempts by
 * outcome, schedule lag) and OpenTelemetry (a span per run, its deliveries as children).
 */
@Injectable()
export class ReportTelemetryService {
  private readonly runs?: Counter<'outcome'>;
  private readonly duration?: Histogram;
  private readonly deliveries?: Counter<'outcome'>;
  private readonly lag?: Histogram;
  private readonly tracer?: Tracer;

  constructor(
    @Optional() prometheus?: PrometheusService,
    @Optional() tracing?: OpenTelemetryTracing,
  ) {
    this.tracer = tracing?.tracer(REPORT_TRACER_NAME);
    if (prometheus === undefined) return;
    const registers = [prometheus.registry];
    this.runs = new Counter({
      name: 'sightline_report_runs_total',
      help: 'Report runs ended, by outcome (succeeded, or the failure code)',
      labelNames: ['outcome'] as const,
      registers,
    });
    this.duration = new Histogram({
      name: 'sightline_report_run_duration_seconds',
      help: "Time from a run's claim to its documents stored",
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    });
    this.deliveries = new Counter({
      name: 'sightline_report_delivery_attempts_total',
      help: 'Webhook delivery attempts, by outcome (delivered, retry, gone, refused, abandoned)',
      labelNames: ['outcome'] as const,
      registers,
    });
    this.lag = new Histogram({
      name: 'sightline_report_schedule_lag_seconds',
      help: 'Time from a scheduled run\u2019s due time to its generation starting',
      buckets: [0.5, 1, 5, 10, 30, 60, 300, 900, 3600],
      registers,
    });
  }

  started(trigger: 'schedule' | 'manual', dueAt: Date, now = new Date()): void {
    if (trigger === 'schedule')
      this.lag?.observe(Math.max(0, now.getTime() - dueAt.getTime()) / 1000);
  }

  generated(durationMs: number): void {
    this.duration?.observe(durationMs / 1000);
  }

  ended(outcome: string): void {
    this.runs?.inc({ outcome });
  }

  attempted(outcome: DeliveryOutcome): void {
    this.deliveries?.inc({ outcome });
  }

  /**
   * Runs `work` in a span named `name`, a child of the trace `parent` carries (the request
   * that asked for the run, or the run a delivery belongs to); `work` gets the span.
   */
  async inSpan<T>(
    name: string,
    parent: Record<string, string> | undefined,
    attributes: Record<string, string | number>,
    work: (span: Span | undefined) => Promise<T>,
  ): Promise<T> {
    if (this.tracer === undefined) return work(undefined);
    const span = this.tracer.startSpan(name, { attributes }, traceContextFrom(parent));
    try {
      return await context.with(trace.setSpan(context.active(), span), () => work(span));
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
      throw error;
    } finally {
      span.end();
    }
  }
}
