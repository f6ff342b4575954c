import { call, signedHeaders } from './factory';
import { until } from './poll';

export type Json = Record<string, unknown>;

/** A delivery attempt as `GET /v1/report-runs/:id` shows it. */
export interface DeliveryAttempt {
  attempt: number;
  statusCode: number | null;
  outcome: string;
  error: string | null;
}

/** A run as `GET /v1/report-runs/:id` shows it, the fields these tests read. */
export interface ReportRun {
  id: string;
  reportId: string;
  status: string;
  /** A manual run's: when it was asked for. */
  dueAt: string;
  periodStart: string;
  periodEnd: string;
  errorCode: string | null;
  delivery: { status: string; attempts: number };
  deliveries: DeliveryAttempt[];
}

/** The reports API of one test app, called as a client holding an API key would. */
export class ReportsClient {
  constructor(
    readonly baseUrl: string,
    readonly key: string,
  ) {}

  post(path: string, body?: unknown) {
    return call(this.baseUrl, 'POST', path, { headers: { 'x-api-key': this.key }, body });
  }

  /** A signed POST or PATCH: required when the body makes a webhook secret. */
  signed(method: 'POST' | 'PATCH', path: string, body?: unknown) {
    const raw = body === undefined ? '' : JSON.stringify(body);
    return call(this.baseUrl, method, path, {
      headers: signedHeaders(this.key, method, path, raw),
      ...(body === undefined ? {} : { body: raw }),
    });
  }

  get(path: string, key = this.key) {
    return call(this.baseUrl, 'GET', path, { headers: { 'x-api-key': key } });
  }

  /** Creates a report (signed, so a webhookUrl may come with it); answers its body. */
  async create(definition: Json): Promise<Json & { id: string; webhookSecret?: string }> {
    const created = await this.signed('POST', '/v1/reports', definition);
    if (created.status !== 201) {
      throw new Error(`report not created: ${created.status} ${created.text}`);
    }
    return created.body as Json & { id: string; webhookSecret?: string };
  }

  /** Runs the report now and answers the run's id. */
  async run(reportId: string): Promise<string> {
    const started = await this.post(`/v1/reports/${reportId}/run`);
    if (started.status !== 202) throw new Error(`run refused: ${started.status} ${started.text}`);
    return String(started.body.runId);
  }

  async readRun(runId: string): Promise<ReportRun> {
    return (await this.get(`/v1/report-runs/${runId}`)).body as unknown as ReportRun;
  }

  /** The run once it has ended: generated, and delivered or given up on. */
  finished(runId: string, timeoutMs = 30_000): Promise<ReportRun> {
    return until(
      `report run ${runId} to end`,
      async () => {
        const run = await this.readRun(runId);
        const ended = run.status === 'succeeded' || run.status === 'failed';
        return ended && run.delivery.status !== 'pending' ? run : undefined;
      },
      timeoutMs,
    );
  }
}
