import { useCallback, useEffect, useState } from 'preact/hooks';
import { describeProblem } from '../../api';
import { Link } from '../../router';
import type { PageProps } from '../page';
import { downloadRunDocument } from './download';
import {
  canWriteReports,
  dateTime,
  formatDueTime,
  isRunning,
  settle,
  type Report,
  type ReportRun,
  takeSecret,
} from './report-types';

/** How often the history is read again while a run is queued or running. */
const POLL_MS = 1_000;

type Loaded<T> =
  { status: 'loading' } | { status: 'loaded'; data: T } | { status: 'failed'; message: string };

interface History {
  runs: ReportRun[];
  nextCursor: string | null;
}

/** One report: its next runs, "Run now", and its run history with downloads. */
export function ReportDetail({ api, principal, reportId }: PageProps & { reportId: string }) {
  const [report, setReport] = useState<Loaded<Report>>({ status: 'loading' });
  const [history, setHistory] = useState<Loaded<History>>({ status: 'loading' });
  const [running, setRunning] = useState(false);
  const [notice, setNotice] = useState<{ kind: 'info' | 'error'; text: string } | undefined>();
  const [secret, setSecret] = useState<string | undefined>(() => takeSecret(reportId));
  const canWrite = canWriteReports(principal);

  useEffect(() => {
    let current = true;
    setReport({ status: 'loading' });
    api.GET('/v1/reports/{id}', { params: { path: { id: reportId } } }).then(
      ({ data, error, response }) =>
        current &&
        setReport(
          data !== undefined
            ? { status: 'loaded', data }
            : { status: 'failed', message: describeProblem(error, response) },
        ),
      (error: unknown) =>
        current && setReport({ status: 'failed', message: describeProblem(error) }),
    );
    return () => {
      current = false;
    };
  }, [api, reportId]);

  const loadHistory = useCallback(async (): Promise<void> => {
    const { data, error, response } = await settle(
      api.GET('/v1/reports/{id}/runs', { params: { path: { id: reportId } } }),
    );
    setHistory(
      data !== undefined
        ? { status: 'loaded', data: { runs: data.data, nextCursor: data.nextCursor } }
        : { status: 'failed', message: describeProblem(error, response) },
    );
  }, [api, reportId]);

  useEffect(() => {
    void loadHistory();
  }, [loadHistory]);

  // While a run has not ended, read the history again: its status and deliveries change.
  const anyRunning = history.status === 'loaded' && history.data.runs.some(isRunning);
  useEffect(() => {
    if (!anyRunning) return;
    const timer = window.setInterval(() => void loadHistory(), POLL_MS);
    return () => window.clearInterval(timer);
  }, [anyRunning, loadHistory]);

  async function runNow(): Promise<void> {
    setRunning(true);
    setNotice(undefined);
    const { data, error, response } = await settle(
      api.POST('/v1/reports/{id}/run', { params: { path: { id: reportId } } }),
    );
    setRunning(false);
    if (data === undefined) {
      setNotice({
        kind: 'error',
        text: `The run was not started: ${describeProblem(error, response)}`,
      });
      return;
    }
    setNotice({ kind: 'info', text: 'Run started: it appears in the history below.' });
    await loadHistory();
  }

  async function rotateSecret(): Promise<void> {
    setNotice(undefined);
    const { data, error, response } = await settle(
      api.POST('/v1/reports/{id}/rotate-secret', { params: { path: { id: reportId } } }),
    );
    if (data?.webhookSecret === undefined) {
      setNotice({
        kind: 'error',
        text: `The secret was not rotated: ${describeProblem(error, response)}`,
      });
      return;
    }
    setSecret(data.webhookSecret);
  }

  if (report.status === 'loading') return <p role="status">Loading the report…</p>;
  if (report.status === 'failed') {
    return (
      <>
        <h1 tabIndex={-1}>Report</h1>
        <p role="alert" class="problem">
          The report could not be loaded: {report.message}
        </p>
        <p>
          <Link href="/reports">Back to reports</Link>
        </p>
      </>
    );
  }
  const data = report.data;

  return (
    <>
      <h1 tabIndex={-1}>{data.name}</h1>
      <p>
        <Link href="/reports">Back to reports</Link>
      </p>
      <dl class="facts">
        <dt>Schedule</dt>
        <dd>
          <code>{data.schedule}</code> in {data.timezone}
          {!data.enabled && ' (disabled: not scheduled)'}
        </dd>
        <dt>Metrics</dt>
        <dd>{data.metrics.map((metric) => metric.name).join(', ')}</dd>
        <dt>Each run covers</dt>
        <dd>
          {data.period === 'schedule'
            ? 'the time since the previous due time'
            : `the previous ${data.period}`}
        </dd>
        <dt>Formats</dt>
        <dd>{data.formats.map((format) => format.toUpperCase()).join(', ')}</dd>
        {data.webhook !== null && (
          <>
            <dt>Webhook</dt>
            <dd>
              {data.webhook.url}
              {!data.webhook.enabled && ' (disabled: the receiver answered 410 Gone)'}
            </dd>
          </>
        )}
      </dl>

      {secret !== undefined && (
        <div class="notice info" role="status">
          <p>
            The webhook's signing secret, shown only now: store it.{' '}
            <code class="secret">{secret}</code>
          </p>
        </div>
      )}

      {notice !== undefined && (
        <p role={notice.kind === 'error' ? 'alert' : 'status'} class={`notice ${notice.kind}`}>
          {notice.text}
        </p>
      )}

      {canWrite && (
        <p class="actions">
          <button type="button" onClick={() => void runNow()} disabled={running}>
            {running ? 'Starting…' : 'Run now'}
          </button>
          {data.webhook !== null && (
            <button type="button" class="secondary" onClick={() => void rotateSecret()}>
              Rotate webhook secret
            </button>
          )}
        </p>
      )}

      <section aria-labelledby="next-runs">
        <h2 id="next-runs">Next runs</h2>
        {data.nextRuns.length === 0 ? (
          <p>None scheduled.</p>
        ) : (
          <ol class="due-times">
            {data.nextRuns.map((due) => (
              <li key={due}>
                <time dateTime={due}>{formatDueTime(due, data.timezone)}</time>
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="run-history">
        <h2 id="run-history">Run history</h2>
        {history.status === 'loading' && <p role="status">Loading the runs…</p>}
        {history.status === 'failed' && (
          <p role="alert" class="problem">
            The runs could not be loaded: {history.message}
          </p>
        )}
        {history.status === 'loaded' &&
          (history.data.runs.length === 0 ? (
            <p>No runs yet{canWrite ? ': "Run now" makes one.' : '.'}</p>
          ) : (
            <RunHistory
              runs={history.data.runs}
              report={data}
              onDownload={(run, format) =>
                downloadRunDocument(
                  api,
                  run.id,
                  format,
                  `${data.name}-${run.periodStart.slice(0, 10)}`,
                ).then(
                  (problem) =>
                    problem !== undefined &&
                    setNotice({ kind: 'error', text: `The download failed: ${problem}` }),
                )
              }
            />
          ))}
      </section>
    </>
  );
}

const STATUS_LABELS: Record<ReportRun['status'], string> = {
  queued: '◷ Queued',
  running: '◔ Running',
  succeeded: '✓ Succeeded',
  failed: '✗ Failed',
};

const DELIVERY_LABELS: Record<ReportRun['delivery']['status'], string> = {
  none: 'no webhook',
  pending: 'pending',
  succeeded: 'delivered',
  failed: 'failed',
};

function RunHistory({
  runs,
  report,
  onDownload,
}: {
  runs: ReportRun[];
  report: Report;
  onDownload: (run: ReportRun, format: Report['formats'][number]) => Promise<unknown>;
}) {
  return (
    <table class="data-table" aria-live="polite">
      <caption class="visually-hidden">
        Runs, newest first: status, period covered, webhook delivery and documents
      </caption>
      <thead>
        <tr>
          <th scope="col">Due</th>
          <th scope="col">Status</th>
          <th scope="col">Period</th>
          <th scope="col">Delivery</th>
          <th scope="col">Documents</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.id} data-run-id={run.id}>
            <th scope="row">
              <time dateTime={run.dueAt}>{dateTime.format(new Date(run.dueAt))}</time>
              {run.trigger === 'manual' && ' (manual)'}
            </th>
            <td class={`run-status ${run.status}`}>
              {STATUS_LABELS[run.status]}
              {run.error !== null && <span class="hint"> {run.error}</span>}
            </td>
            <td>
              <time dateTime={run.periodStart}>{dateTime.format(new Date(run.periodStart))}</time> –{' '}
              <time dateTime={run.periodEnd}>{dateTime.format(new Date(run.periodEnd))}</time>
            </td>
            <td>
              {DELIVERY_LABELS[run.delivery.status]}
              {run.delivery.attempts > 0 &&
                `, ${run.delivery.attempts} attempt${run.delivery.attempts === 1 ? '' : 's'}`}
            </td>
            <td>
              {run.status === 'succeeded'
                ? report.formats.map((format) => (
                    <button
                      key={format}
                      type="button"
                      class="secondary small"
                      aria-label={`Download ${format.toUpperCase()} of the run due ${dateTime.format(new Date(run.dueAt))}`}
                      onClick={() => void onDownload(run, format)}
                    >
                      {format.toUpperCase()}
                    </button>
                  ))
                : '—'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
