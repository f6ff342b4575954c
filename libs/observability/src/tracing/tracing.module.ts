import { Global, Module } from '@nestjs/common';
import { OpenTelemetryTracing } from './open-telemetry-tracing';

/** The OpenTelemetry tracer provider; global so any module can make spans. */
@Global()
@Module({
  providers: [OpenTelemetryTracing],
  exports: [OpenTelemetryTracing],
})
export class TracingModule {}
