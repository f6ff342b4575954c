import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../../api';
import { describeProblem } from '../../api';
import { formatDueTime } from './report-types';

/** How long typing must pause before the preview is asked for. */
const DEBOUNCE_MS = 400;

type Preview =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'loaded'; dueTimes: string[]; timezone: string }
  | { status: 'failed'; message: string };

/**
 * The next due times of `schedule` in `timezone`, as the server computes them
 * (`GET /v1/reports/schedule-preview`), asked for once typing pauses. Only a five-field
 * schedule is sent: a half-typed one would only be refused.
 */
export function SchedulePreview({
  api,
  schedule,
  timezone,
}: {
  api: Api;
  schedule: string;
  timezone: string;
}) {
  const [preview, setPreview] = useState<Preview>({ status: 'idle' });
  useEffect(() => {
    const trimmed = schedule.trim();
    if (trimmed.split(/\s+/).length !== 5 || timezone === '') {
      setPreview({ status: 'idle' });
      return;
    }
    let current = true;
    const timer = window.setTimeout(() => {
      setPreview({ status: 'loading' });
      api
        .GET('/v1/reports/schedule-preview', {
          params: { query: { schedule: trimmed, timezone, count: 5 } },
        })
        .then(
          ({ data, error, response }) => {
            if (!current) return;
            setPreview(
              data !== undefined
                ? { status: 'loaded', dueTimes: data.dueTimes, timezone: data.timezone }
                : { status: 'failed', message: describeProblem(error, response) },
            );
          },
          (error: unknown) =>
            current && setPreview({ status: 'failed', message: describeProblem(error) }),
        );
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [api, schedule, timezone]);

  return (
    <div id="schedule-preview" class="schedule-preview" aria-live="polite">
      {preview.status === 'idle' && (
        <p class="hint">Five fields: minute hour day-of-month month day-of-week.</p>
      )}
      {preview.status === 'loading' && <p class="hint">Working out the next runs…</p>}
      {preview.status === 'failed' && <p class="field-problem">{preview.message}</p>}
      {preview.status === 'loaded' && (
        <>
          <p class="hint">Next runs:</p>
          <ol class="due-times" aria-label="Next runs">
            {preview.dueTimes.map((due) => (
              <li key={due}>
                <time dateTime={due}>{formatDueTime(due, preview.timezone)}</time>
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}
