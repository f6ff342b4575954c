import { ServiceLifecycle } from '@app/common';
import { Injectable } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { FINAL_EVENTS } from '../entities/analysis-event.entity';
import { AnalysisEvents } from './analysis-events';

/** How often the log is read for new events. */
const POLL_MS = 200;
/** A comment this often keeps proxies from closing a quiet stream. */
export const KEEP_ALIVE_MS = 15_000;
/** A stream ends after this long even if the analysis never finishes. */
const MAX_STREAM_MS = 15 * 60_000;

/**
 * `GET /v1/analyses/:id/events`: the analysis' event log as Server-Sent Events, from
 * after `Last-Event-ID` (a reconnecting client resumes), then new events as they are
 * appended — by whichever process runs the analysis — until the final `completed` or
 * `failed` event, the client leaving, or this process shutting down.
 */
@Injectable()
export class AnalysisStream {
  constructor(
    private readonly events: AnalysisEvents,
    private readonly lifecycle: ServiceLifecycle,
  ) {}

  async stream(
    analysisId: string,
    lastEventId: string,
    raw: ServerResponse,
    requestId: string,
    headers: Record<string, string | number | string[] | undefined> = {},
  ): Promise<void> {
    raw.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': requestId,
    });
    let closed = false;
    raw.on('close', () => (closed = true));
    let last = lastEventId;
    let lastWrite = Date.now();
    const deadline = Date.now() + MAX_STREAM_MS;
    raw.write(`retry: 2000\n\n`);
    while (!closed && !this.lifecycle.isShuttingDown && Date.now() < deadline) {
      for (const event of await this.events.after(analysisId, last)) {
        raw.write(
          `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify({ ...event.data, at: event.createdAt.toISOString() })}\n\n`,
        );
        last = event.id;
        lastWrite = Date.now();
        if (FINAL_EVENTS.has(event.type)) {
          raw.end();
          return;
        }
      }
      if (Date.now() - lastWrite >= KEEP_ALIVE_MS) {
        raw.write(': keep-alive\n\n');
        lastWrite = Date.now();
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    if (!closed) raw.end();
  }
}
