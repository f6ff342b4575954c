import { useMemo, useState } from 'preact/hooks';
import { describeProblem } from '../../api';
import { Link, navigate } from '../../router';
import { useApiData } from '../../use-api-data';
import type { PageProps } from '../page';
import {
  canWriteReports,
  FORMATS,
  handOverSecret,
  isProblemDetails,
  type ReportFormat,
  type ReportPeriod,
  settle,
} from './report-types';
import { SchedulePreview } from './schedule-preview';

const PERIODS: ReadonlyArray<{ value: ReportPeriod; label: string }> = [
  { value: 'day', label: 'The previous day' },
  { value: 'week', label: 'The previous ISO week' },
  { value: 'month', label: 'The previous month' },
  { value: 'schedule', label: 'Since the previous due time' },
];

/** The form's fields, named as the API names them, so a 400's `errors[].field` finds its place. */
type Field = 'name' | 'metrics' | 'schedule' | 'timezone' | 'period' | 'formats' | 'webhookUrl';

function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Every zone the browser knows, with UTC (which `supportedValuesOf` may leave out). */
function timeZones(): string[] {
  const zones = Intl.supportedValuesOf('timeZone');
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}

/** `metrics[2].name` → `metrics`: the form field a validation error belongs to. */
function fieldOf(path: string): string {
  return path.split(/[.[]/)[0] ?? path;
}

/** Defines a report: a 400 puts each field's problem beside it. */
export function ReportForm({ api, principal }: PageProps) {
  const names = useApiData(() => api.GET('/v1/metrics/names'), [api]);
  const zones = useMemo(timeZones, []);
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [typed, setTyped] = useState('');
  const [schedule, setSchedule] = useState('');
  const [timezone, setTimezone] = useState(browserZone);
  const [period, setPeriod] = useState<ReportPeriod>('day');
  const [formats, setFormats] = useState<ReportFormat[]>(['pdf']);
  const [webhookUrl, setWebhookUrl] = useState('');
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  const [fieldProblems, setFieldProblems] = useState<Partial<Record<Field, string>>>({});

  if (!canWriteReports(principal)) {
    return (
      <>
        <h1 tabIndex={-1}>New report</h1>
        <p>
          Your role may read reports but not define them.{' '}
          <Link href="/reports">Back to reports</Link>.
        </p>
      </>
    );
  }

  const toggle = <T,>(list: T[], value: T, on: boolean): T[] =>
    on ? [...list.filter((item) => item !== value), value] : list.filter((item) => item !== value);

  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    setSaving(true);
    setProblem(undefined);
    setFieldProblems({});
    const metrics = [
      ...chosen,
      ...typed
        .split(',')
        .map((metric) => metric.trim())
        .filter((metric) => metric !== '' && !chosen.includes(metric)),
    ];
    const { data, error, response } = await settle(
      api.POST('/v1/reports', {
        body: {
          name,
          metrics,
          schedule,
          timezone,
          period,
          catchUp: 'latest',
          formats,
          ...(webhookUrl.trim() === '' ? {} : { webhookUrl: webhookUrl.trim() }),
        },
      }),
    );
    setSaving(false);
    if (data !== undefined) {
      if (data.webhookSecret !== undefined) handOverSecret(data.id, data.webhookSecret);
      navigate(`/reports/${data.id}`);
      return;
    }
    setProblem(describeProblem(error, response));
    if (isProblemDetails(error) && error.errors !== undefined) {
      const byField: Partial<Record<Field, string>> = {};
      for (const entry of error.errors) {
        const field = fieldOf(entry.field) as Field;
        byField[field] =
          byField[field] === undefined ? entry.message : `${byField[field]}; ${entry.message}`;
      }
      setFieldProblems(byField);
    }
  }

  const invalid = (field: Field) => (fieldProblems[field] === undefined ? undefined : true);
  const describedBy = (field: Field, hint?: string) =>
    [hint, fieldProblems[field] === undefined ? undefined : `${field}-problem`]
      .filter((id) => id !== undefined)
      .join(' ') || undefined;
  const FieldProblem = ({ field }: { field: Field }) =>
    fieldProblems[field] === undefined ? null : (
      <p id={`${field}-problem`} class="field-problem">
        <span aria-hidden="true">⚠ </span>
        {fieldProblems[field]}
      </p>
    );
  const metricNames = names.status === 'loaded' ? names.data.data.map((metric) => metric.name) : [];

  return (
    <>
      <h1 tabIndex={-1}>New report</h1>
      <p>
        <Link href="/reports">Back to reports</Link>
      </p>
      <form class="report-form" onSubmit={(event) => void submit(event)} noValidate>
        {problem !== undefined && (
          <p role="alert" class="problem">
            The report was not created: {problem}
          </p>
        )}
        <div class="field">
          <label for="report-name">Name</label>
          <input
            id="report-name"
            value={name}
            required
            aria-invalid={invalid('name')}
            aria-describedby={describedBy('name')}
            onInput={(event) => setName(event.currentTarget.value)}
          />
          <FieldProblem field="name" />
        </div>

        <fieldset class="field" aria-describedby={describedBy('metrics', 'metrics-hint')}>
          <legend>Metrics</legend>
          {names.status === 'loading' && <p class="hint">Loading the metric names…</p>}
          {names.status === 'failed' && (
            <p class="hint">The metric names could not be loaded ({names.message}): type them.</p>
          )}
          {metricNames.map((metric) => (
            <label key={metric} class="check">
              <input
                type="checkbox"
                checked={chosen.includes(metric)}
                onChange={(event) => setChosen(toggle(chosen, metric, event.currentTarget.checked))}
              />{' '}
              {metric}
            </label>
          ))}
          <label for="report-metrics-typed">Other metric names</label>
          <input
            id="report-metrics-typed"
            value={typed}
            aria-invalid={invalid('metrics')}
            onInput={(event) => setTyped(event.currentTarget.value)}
          />
          <p id="metrics-hint" class="hint">
            Separate names with commas.
          </p>
          <FieldProblem field="metrics" />
        </fieldset>

        <div class="field">
          <label for="report-schedule">Schedule (cron)</label>
          <input
            id="report-schedule"
            value={schedule}
            placeholder="0 8 * * 1"
            spellcheck={false}
            autoComplete="off"
            aria-invalid={invalid('schedule')}
            aria-describedby={describedBy('schedule', 'schedule-preview')}
            onInput={(event) => setSchedule(event.currentTarget.value)}
          />
          <FieldProblem field="schedule" />
          <SchedulePreview api={api} schedule={schedule} timezone={timezone} />
        </div>

        <div class="field">
          <label for="report-timezone">Time zone</label>
          <select
            id="report-timezone"
            value={timezone}
            aria-invalid={invalid('timezone')}
            aria-describedby={describedBy('timezone')}
            onChange={(event) => setTimezone(event.currentTarget.value)}
          >
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone}
              </option>
            ))}
          </select>
          <FieldProblem field="timezone" />
        </div>

        <div class="field">
          <label for="report-period">Each run covers</label>
          <select
            id="report-period"
            value={period}
            aria-invalid={invalid('period')}
            aria-describedby={describedBy('period')}
            onChange={(event) => setPeriod(event.currentTarget.value as ReportPeriod)}
          >
            {PERIODS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
          <FieldProblem field="period" />
        </div>

        <fieldset class="field" aria-describedby={describedBy('formats')}>
          <legend>Formats</legend>
          {FORMATS.map((format) => (
            <label key={format} class="check">
              <input
                type="checkbox"
                checked={formats.includes(format)}
                onChange={(event) =>
                  setFormats(toggle(formats, format, event.currentTarget.checked))
                }
              />{' '}
              {format.toUpperCase()}
            </label>
          ))}
          <FieldProblem field="formats" />
        </fieldset>

        <div class="field">
          <label for="report-webhook">Webhook URL (optional)</label>
          <input
            id="report-webhook"
            type="url"
            value={webhookUrl}
            aria-invalid={invalid('webhookUrl')}
            aria-describedby={describedBy('webhookUrl', 'webhook-hint')}
            onInput={(event) => setWebhookUrl(event.currentTarget.value)}
          />
          <p id="webhook-hint" class="hint">
            Each finished run is sent here, signed; the secret is shown once, after creating.
          </p>
          <FieldProblem field="webhookUrl" />
        </div>

        <p>
          <button type="submit" disabled={saving}>
            {saving ? 'Creating…' : 'Create report'}
          </button>
        </p>
      </form>
    </>
  );
}
