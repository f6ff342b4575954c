import type { components } from '@app/client';
import { useApiData } from '../use-api-data';
import type { PageProps } from './page';

type MetricName = components['schemas']['MetricNameDto'];

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const count = new Intl.NumberFormat();

/** The organization at a glance: the metrics it records, each with how many and how recent. */
export default function OverviewPage({ api, title }: PageProps) {
  const names = useApiData(() => api.GET('/v1/metrics/names'), [api]);
  return (
    <>
      <h1 tabIndex={-1}>{title}</h1>
      <section aria-labelledby="metric-names">
        <h2 id="metric-names">Metrics</h2>
        {names.status === 'loading' && <p role="status">Loading the metrics…</p>}
        {names.status === 'failed' && (
          <p role="alert" class="problem">
            The metrics could not be loaded: {names.message}
          </p>
        )}
        {names.status === 'loaded' &&
          (names.data.data.length === 0 ? <NoMetrics /> : <MetricNames names={names.data.data} />)}
      </section>
    </>
  );
}

function MetricNames({ names }: { names: MetricName[] }) {
  return (
    <table class="data-table">
      <caption class="visually-hidden">
        Metric names, how many values each has, and when the last was observed
      </caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col" class="number">
            Values
          </th>
          <th scope="col">Last observed</th>
        </tr>
      </thead>
      <tbody>
        {names.map((metric) => (
          <tr key={metric.name}>
            <th scope="row">{metric.name}</th>
            <td class="number">{count.format(metric.count)}</td>
            <td>
              <time dateTime={metric.lastObservedAt}>
                {dateTime.format(new Date(metric.lastObservedAt))}
              </time>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function NoMetrics() {
  return (
    <div class="empty-state">
      <p>
        <strong>No metrics yet.</strong>
      </p>
      <p>
        Metrics appear here once something records them: send values to{' '}
        <code>POST /v1/metrics</code> (see the <a href="/docs">API documentation</a>), or upload a
        dataset and start an analysis, whose agents record the numbers they find.
      </p>
    </div>
  );
}
