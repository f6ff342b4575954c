import type { OrganizationId } from '@app/tenancy';
import { ServiceLifecycle } from '@app/common';
import { AppConfig } from '@app/config';
import { DatabaseNotifications } from '@app/database';
import { Injectable } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { FINAL_EVENTS } from '../entities/analysis-event.entity';
import type { AnalysisStatus } from '../entities/analysis.entity';
import {
  ANALYSIS_EVENTS_CHANNEL,
  AnalysisEventsRepository,
} from '../repositories/analysis-events.repository';

/** A comment this often keeps proxies from closing a quiet stream. */
export const KEEP_ALIVE_MS = 15_000;
/** A stream ends after this long even if the analysis never finishes. */
const MAX_STREAM_MS = 15 * 60_000;
const UNFINISHED: ReadonlySet<AnalysisStatus> = new Set(['queued', 'running']);

/**
 * `GET /v1/analyses/:id/events`: the analysis' event log as Server-Sent Events, from
 * after `Last-Event-ID` (a reconnecting client resumes), then new events as they are
 * appended — by whichever process runs the analysis — until the final `completed` or
 * `failed` event, the client leaving, or this process shutting down.
 *
 * A stream holds no connection while it waits: the log is read when the process' one
 * `LISTEN` connection hears that the analysis has new events (AnalysisEventsRepository.append
 * notifies), and otherwise only every `ANALYSIS_EVENTS_POLL_MS` as a safety net.
 */
@Injectable()
export class AnalysisStreamService {
  /** The wake-up of every open stream, by analysis id. */
  private readonly waiting = new Map<string, Set<() => void>>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly events: AnalysisEventsRepository,
    private readonly lifecycle: ServiceLifecycle,
    private readonly notifications: DatabaseNotifications,
    private readonly config: AppConfig,
  ) {}

  async stream(
    organizationId: OrganizationId,
    analysisId: string,
    status: AnalysisStatus,
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
    let wake: () => void = () => undefined;
    let pending = true;
    const onEvent = () => {
      pending = true;
      wake();
    };
    const stopWatching = this.watch(analysisId, onEvent);
    raw.on('close', () => {
      closed = true;
      wake();
    });
    try {
      // An id past the end of this analysis' log (ids are shared by all analyses) would skip
      // its next events, or wait for nothing on a finished one: resume from the end instead.
      const end = await this.events.lastId(organizationId, analysisId);
      let last = BigInt(lastEventId) > BigInt(end) ? end : lastEventId;
      const finished = !UNFINISHED.has(status);
      let lastWrite = Date.now();
      const deadline = Date.now() + MAX_STREAM_MS;
      raw.write(`retry: 2000\n\n`);
      while (!closed && !this.lifecycle.isShuttingDown && Date.now() < deadline) {
        if (pending) {
          pending = false;
          for (const event of await this.events.after(organizationId, analysisId, last)) {
            raw.write(
              `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify({ ...event.data, at: event.createdAt.toISOString() })}\n\n`,
            );
            last = event.id;
            lastWrite = Date.now();
            if (FINAL_EVENTS.has(event.type)) return;
          }
          // Finished before the stream opened: the log is complete, nothing more will come.
          if (finished) return;
        }
        if (Date.now() - lastWrite >= KEEP_ALIVE_MS) {
          raw.write(': keep-alive\n\n');
          lastWrite = Date.now();
        }
        const waitMs = Math.min(
          this.config.analyses.eventsPollMs,
          KEEP_ALIVE_MS - (Date.now() - lastWrite),
          deadline - Date.now(),
        );
        await new Promise<void>((resolve) => {
          // The safety poll: a notification lost on the way costs at most this long.
          const timer = setTimeout(
            () => {
              pending = true;
              resolve();
            },
            Math.max(0, waitMs),
          );
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
          if (pending || closed) wake();
        });
        wake = () => undefined;
      }
    } finally {
      stopWatching();
      if (!closed) raw.end();
    }
  }

  /** Calls `onEvent` whenever `analysisId` may have new events, until the returned function is called. */
  private watch(analysisId: string, onEvent: () => void): () => void {
    this.unsubscribe ??= this.notifications.subscribe(ANALYSIS_EVENTS_CHANNEL, (payload) => {
      // No payload: the listener reconnected and may have missed some; every stream looks.
      const targets =
        payload === undefined ? [...this.waiting.values()] : [this.waiting.get(payload)];
      for (const set of targets) for (const wakeUp of set ?? []) wakeUp();
    });
    let set = this.waiting.get(analysisId);
    if (set === undefined) {
      set = new Set();
      this.waiting.set(analysisId, set);
    }
    set.add(onEvent);
    return () => {
      set.delete(onEvent);
      if (set.size === 0) this.waiting.delete(analysisId);
    };
  }
}
