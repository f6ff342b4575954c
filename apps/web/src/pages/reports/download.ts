import { describeProblem, type Api } from '../../api';
import { type ReportFormat, settle } from './report-types';

/**
 * Downloads a run's document through the API client, so the request carries the session's
 * credential (a plain `<a href>` would not send the Authorization header), and saves the
 * blob under a name the user can recognise. Resolves to the problem's sentence on failure.
 */
export async function downloadRunDocument(
  api: Api,
  runId: string,
  format: ReportFormat,
  baseName: string,
): Promise<string | undefined> {
  const { data, error, response } = await settle(
    api.GET('/v1/report-runs/{id}/download', {
      params: { path: { id: runId }, query: { format } },
      parseAs: 'blob',
    }),
  );
  if (!(data instanceof Blob)) return describeProblem(error, response);
  const url = URL.createObjectURL(data);
  const link = document.createElement('a');
  link.href = url;
  link.download = `${baseName}.${format}`;
  document.body.append(link);
  link.click();
  link.remove();
  // The click hands the blob to the download; a moment later the URL is not needed.
  window.setTimeout(() => URL.revokeObjectURL(url), 1_000);
  return undefined;
}
