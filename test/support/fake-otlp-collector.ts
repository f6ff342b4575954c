import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An OTLP/JSON attribute: `{ key, value: { stringValue | intValue | boolValue | ... } }`. */
export interface OtlpAttribute {
  key: string;
  value: Record<string, unknown>;
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  attributes?: OtlpAttribute[];
  status?: { code?: number; message?: string };
}

/** One span as received, with the resource and scope it came under and plain attributes. */
export interface ReceivedSpan extends OtlpSpan {
  service: unknown;
  scope: string;
  values: Record<string, unknown>;
}

interface ExportRequest {
  resourceSpans?: Array<{
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: Array<{ scope?: { name?: string }; spans?: OtlpSpan[] }>;
  }>;
}

/** The attribute's value, whichever OTLP/JSON field holds it (ints arrive as strings). */
function plain(value: Record<string, unknown>): unknown {
  if ('intValue' in value) return Number(value.intValue);
  return Object.values(value)[0];
}

function values(attributes: OtlpAttribute[] | undefined): Record<string, unknown> {
  return Object.fromEntries((attributes ?? []).map(({ key, value }) => [key, plain(value)]));
}

/**
 * A stand-in for an OpenTelemetry collector's OTLP/HTTP receiver (`POST /v1/traces`,
 * JSON): it keeps every request's headers and raw body and every span, flattened.
 */
export class FakeOtlpCollector {
  readonly requests: Array<{ path: string; headers: Record<string, unknown>; body: string }> = [];
  readonly spans: ReceivedSpan[] = [];
  private readonly server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      this.requests.push({ path: request.url ?? '', headers: { ...request.headers }, body });
      const parsed = JSON.parse(body) as ExportRequest;
      for (const resourceSpans of parsed.resourceSpans ?? []) {
        const service = values(resourceSpans.resource?.attributes)['service.name'];
        for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
          for (const span of scopeSpans.spans ?? []) {
            const scope = scopeSpans.scope?.name ?? '';
            this.spans.push({ ...span, service, scope, values: values(span.attributes) });
          }
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });

  /** Listens on a free local port; returns the base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`). */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
