import type { ReportContent, ReportFormat } from './report-content';
import { localIsoDate } from './report-time';

/** The media type each format is served and attached with. */
export const CONTENT_TYPES: Record<ReportFormat, string> = {
  pdf: 'application/pdf',
  html: 'text/html; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json',
};

const MAX_SLUG_LENGTH = 60;

/** "monthly-revenue-marz": lower-case ASCII words of `title`, or "report" if none are left. */
export function slugOf(title: string): string {
  const slug = title
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'report' : slug;
}

/** "<slug of the title>-<first day of the period, in the report's zone>.<format>". */
export function documentFileName(content: ReportContent, format: ReportFormat): string {
  const day = localIsoDate(content.period.start, content.timezone);
  return `${slugOf(content.title)}-${day}.${format}`;
}
