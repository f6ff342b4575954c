import type { components } from '@app/client';
import type { Principal, ProblemDetails } from '../../api';

export type Report = components['schemas']['ReportDto'];
export type ReportRun = components['schemas']['ReportRunDto'];
export type ReportRunDetail = components['schemas']['ReportRunDetailDto'];
export type ReportFormat = Report['formats'][number];
export type ReportPeriod = Report['period'];

export const FORMATS: readonly ReportFormat[] = ['pdf', 'html', 'csv', 'json'];

/** Viewers read reports; admins and analysts define and run them (`reports:write`). */
export function canWriteReports(principal: Principal): boolean {
  return principal.role !== 'viewer';
}

/** A run still going: its history row is polled until it ends. */
export function isRunning(run: Pick<ReportRun, 'status'>): boolean {
  return run.status === 'queued' || run.status === 'running';
}

/** Dates as the API sends them, shown in the browser's zone with its name. */
export const dateTime = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'short',
});

/**
 * A due time as the report's zone has it (`2027-03-29T08:00:00+02:00`): shown in that zone,
 * so "every Monday at 8" reads as 08:00 whatever the browser's zone.
 */
export function formatDueTime(value: string, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone,
  }).format(new Date(value));
}

export function isProblemDetails(value: unknown): value is ProblemDetails {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<ProblemDetails>).detail === 'string' &&
    typeof (value as Partial<ProblemDetails>).status === 'number'
  );
}

/**
 * A new report's webhook secret, shown once: the create form hands it to the detail page
 * it navigates to, in memory only (never storage), and the detail page takes it.
 */
const createdSecrets = new Map<string, string>();

export function handOverSecret(reportId: string, secret: string): void {
  createdSecrets.set(reportId, secret);
}

export function takeSecret(reportId: string): string | undefined {
  const secret = createdSecrets.get(reportId);
  createdSecrets.delete(reportId);
  return secret;
}

/**
 * An openapi-fetch call that never rejects: a network failure becomes `error` with no
 * response, so callers handle both kinds of failure in one place.
 */
export function settle<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<{ data?: T; error?: unknown; response?: Response }> {
  return call.catch((caught: unknown) => ({ data: undefined, error: caught, response: undefined }));
}
