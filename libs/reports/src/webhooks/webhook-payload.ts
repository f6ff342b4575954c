import type { ReportRunEntity } from '../entities/report-run.entity';
import type { ReportEntity, ReportFormatName } from '../entities/report.entity';
import type { ReportDocumentsRepository } from '../repositories/report-documents.repository';

/** Documents at most this large travel inside the webhook when the report asks for it. */
export const MAX_ATTACHED_DOCUMENT_BYTES = 5 * 1024 * 1024;

export interface ReportWebhookPayload {
  type: 'report.run.succeeded';
  reportId: string;
  runId: string;
  reportName: string;
  period: { start: string; end: string; timezone: string };
  summary: string;
  /** Where each document is downloaded (`GET /v1/report-runs/:id/download?format=`). */
  downloads: Partial<Record<ReportFormatName, string>>;
  /** With `attachDocument`: the documents under 5 MiB, base64. */
  attachments?: Array<{
    format: ReportFormatName;
    contentType: string;
    fileName: string;
    base64: string;
  }>;
}

/**
 * The body of a run's webhook: links to its documents (absolute under PUBLIC_URL, else
 * paths) and, when the report asks, the small documents themselves.
 */
export async function webhookPayload(
  report: ReportEntity,
  run: ReportRunEntity,
  documents: ReportDocumentsRepository,
  publicUrl: string | undefined,
): Promise<ReportWebhookPayload> {
  const organizationId = report.organizationId;
  const stored = await documents.formats(organizationId, run.id);
  const downloads: ReportWebhookPayload['downloads'] = {};
  for (const { format } of stored) {
    downloads[format] = `${publicUrl ?? ''}/v1/report-runs/${run.id}/download?format=${format}`;
  }
  const payload: ReportWebhookPayload = {
    type: 'report.run.succeeded',
    reportId: report.id,
    runId: run.id,
    reportName: report.name,
    period: {
      start: run.periodStart.toISOString(),
      end: run.periodEnd.toISOString(),
      timezone: report.timezone,
    },
    summary: run.summary ?? '',
    downloads,
  };
  if (!report.attachDocument) return payload;
  const attachments: NonNullable<ReportWebhookPayload['attachments']> = [];
  for (const { format, sizeBytes } of stored) {
    if (sizeBytes > MAX_ATTACHED_DOCUMENT_BYTES) continue;
    const document = await documents.find(organizationId, run.id, format);
    if (document === null) continue;
    attachments.push({
      format,
      contentType: document.contentType,
      fileName: document.fileName,
      base64: document.body.toString('base64'),
    });
  }
  return { ...payload, attachments };
}
