import { useEffect, useState } from 'preact/hooks';
import { describeProblem } from '../../api';
import { Link } from '../../router';
import type { PageProps } from '../page';
import { canWriteReports, formatDueTime, type Report, settle } from './report-types';

type ListState =
  | { status: 'loading' }
  | { status: 'loaded'; reports: Report[]; nextCursor: string | null; more: boolean }
  | { status: 'failed'; message: string };

/** The organization's reports, newest first, a page at a time ("More" follows nextCursor). */
export function ReportList({ api, principal, title }: PageProps) {
  const [state, setState] = useState<ListState>({ status: 'loading' });
  const [moreProblem, setMoreProblem] = useState<string | undefined>();

  useEffect(() => {
    let current = true;
    api.GET('/v1/reports').then(
      ({ data, error, response }) => {
        if (!current) return;
        setState(
          data !== undefined
            ? { status: 'loaded', reports: data.data, nextCursor: data.nextCursor, more: false }
            : { status: 'failed', message: describeProblem(error, response) },
        );
      },
      (error: unknown) =>
        current && setState({ status: 'failed', message: describeProblem(error) }),
    );
    return () => {
      current = false;
    };
  }, [api]);

  async function loadMore(): Promise<void> {
    if (state.status !== 'loaded' || state.nextCursor === null) return;
    setState({ ...state, more: true });
    setMoreProblem(undefined);
    const { data, error, response } = await settle(
      api.GET('/v1/reports', { params: { query: { cursor: state.nextCursor } } }),
    );
    if (data === undefined) {
      setMoreProblem(describeProblem(error, response));
      setState({ ...state, more: false });
      return;
    }
    setState({
      status: 'loaded',
      reports: [...state.reports, ...data.data],
      nextCursor: data.nextCursor,
      more: false,
    });
  }

  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>{title}</h1>
        {canWriteReports(principal) && (
          <Link href="/reports/new" class="button-link">
            New report
          </Link>
        )}
      </div>
      {state.status === 'loading' && <p role="status">Loading the reports…</p>}
      {state.status === 'failed' && (
        <p role="alert" class="problem">
          The reports could not be loaded: {state.message}
        </p>
      )}
      {state.status === 'loaded' && state.reports.length === 0 && (
        <NoReports canWrite={canWriteReports(principal)} />
      )}
      {state.status === 'loaded' && state.reports.length > 0 && (
        <>
          <table class="data-table">
            <caption class="visually-hidden">
              Reports, their schedule, zone, formats and next due time
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Schedule</th>
                <th scope="col">Time zone</th>
                <th scope="col">Formats</th>
                <th scope="col">Next run</th>
              </tr>
            </thead>
            <tbody>
              {state.reports.map((report) => (
                <tr key={report.id}>
                  <th scope="row">
                    <Link href={`/reports/${report.id}`}>{report.name}</Link>
                    {!report.enabled && <span class="tag"> (disabled)</span>}
                  </th>
                  <td>
                    <code>{report.schedule}</code>
                  </td>
                  <td>{report.timezone}</td>
                  <td>{report.formats.map((format) => format.toUpperCase()).join(', ')}</td>
                  <td>
                    {report.nextRuns[0] === undefined ? (
                      'none'
                    ) : (
                      <time dateTime={report.nextRuns[0]}>
                        {formatDueTime(report.nextRuns[0], report.timezone)}
                      </time>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {moreProblem !== undefined && (
            <p role="alert" class="problem">
              More reports could not be loaded: {moreProblem}
            </p>
          )}
          {state.nextCursor !== null && (
            <p>
              <button
                type="button"
                class="secondary"
                onClick={() => void loadMore()}
                disabled={state.more}
              >
                {state.more ? 'Loading…' : 'More'}
              </button>
            </p>
          )}
        </>
      )}
    </>
  );
}

function NoReports({ canWrite }: { canWrite: boolean }) {
  return (
    <div class="empty-state">
      <p>
        <strong>No reports yet.</strong>
      </p>
      {canWrite ? (
        <p>
          A report renders chosen metrics on a schedule (PDF, HTML, CSV or JSON) and can send each
          run to a webhook. <Link href="/reports/new">Define the first one</Link>.
        </p>
      ) : (
        <p>
          A report renders chosen metrics on a schedule. An admin or analyst of your organization
          can define one; it will appear here.
        </p>
      )}
    </div>
  );
}
