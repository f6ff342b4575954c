import type { OrganizationId } from '@app/tenancy';
import type { Principal } from '@app/access';
import { AuditService } from '@app/audit';
import {
  decodeCursor,
  type FieldError,
  type Page,
  type PageQueryDto,
  ProblemException,
  type RequestMeta,
  RequestValidationException,
  RetryLaterException,
  toPage,
} from '@app/common';
import { AppConfig } from '@app/config';
import { DatasetsService } from '@app/datasets';
import { isDimensionKey, parseQueryTime } from '@app/metrics';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  type CreateReportDto,
  mapReport,
  type ReportDto,
  type ReportMetricDto,
  type ReportWithSecretDto,
  type UpdateReportDto,
} from '../dtos/report.dto';
import type {
  ReportSchedulePreviewDto,
  ReportSchedulePreviewQueryDto,
} from '../dtos/report-schedule-preview.dto';
import type { ReportEntity, ReportFormatName, ReportMetricSpec } from '../entities/report.entity';
import { type ReportChanges, ReportsRepository } from '../repositories/reports.repository';
import { formatInZone } from '../schedule/zoned-time';
import { parseReportSchedule, type ReportSchedule } from '../schedule/report-schedule';
import { ReportScheduleError } from '../schedule/report-schedule-error';
import { checkWebhookUrl } from '../webhooks/webhook-address';
import { newWebhookSecret } from '../webhooks/webhook-secret';

/** Due times `GET /v1/reports/:id` lists. */
const NEXT_RUNS = 5;
/**
 * The instants a schedule preview may start from. Croner gives wrong years (and takes seconds)
 * from before the year 100 and finds nothing after 3000; previews stay well inside both.
 */
const PREVIEW_EARLIEST = Date.parse('1900-01-01T00:00:00Z');
const PREVIEW_LATEST = Date.parse('2200-01-01T00:00:00Z');
/** How long the secret before a rotation keeps signing, so receivers can switch over. */
export const SECRET_ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

/** The rules of report definitions: validation, limits, the schedule cursor, webhook secrets. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly datasets: DatasetsService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async create(
    principal: Principal,
    dto: CreateReportDto,
    meta?: RequestMeta,
    now = new Date(),
  ): Promise<ReportWithSecretDto> {
    const organizationId = principal.organizationId;
    const schedule = this.checkSchedule(dto.schedule, dto.timezone);
    const formats = this.checkCreateFormats(dto);
    this.checkWebhook(dto.webhookUrl);
    const metrics = checkMetrics(dto.metrics);
    await this.checkDataset(organizationId, dto.datasetId);
    const secret = dto.webhookUrl === undefined ? null : newWebhookSecret();
    const enabled = dto.enabled ?? true;
    const report = await this.reports.inTransaction(async (work) => {
      await this.reports.lockOrganization(organizationId, work);
      const count = await this.reports.count(organizationId, work);
      if (count >= this.config.reports.perOrganization) {
        throw new RetryLaterException(
          429,
          'report-limit',
          `This organization has ${count} reports, the most it may have (REPORTS_PER_ORGANIZATION); delete one first`,
          3600,
        );
      }
      return this.reports.insert(
        organizationId,
        {
          id: randomUUID(),
          name: dto.name,
          metrics,
          datasetId: dto.datasetId ?? null,
          period: dto.period ?? 'day',
          schedule: dto.schedule.trim(),
          timezone: dto.timezone,
          catchUp: dto.catchUp ?? 'latest',
          formats,
          webhookUrl: dto.webhookUrl ?? null,
          webhookSecret: secret,
          webhookPreviousSecret: null,
          webhookPreviousSecretUntil: null,
          webhookDisabledAt: null,
          attachDocument: dto.attachDocument ?? false,
          enabled,
          scheduledThrough: now,
          nextDueAt: enabled ? nextDue(schedule, now) : null,
          createdBy: principal.id,
        },
        work,
      );
    });
    await this.audited(principal, 'report.created', report, meta);
    return withSecret(mapReport(report, enabled ? nextRuns(schedule, now) : []), secret);
  }

  async get(organizationId: OrganizationId, id: string, now = new Date()): Promise<ReportDto> {
    const report = await this.find(organizationId, id);
    return mapReport(report, nextRunsOf(report, now));
  }

  /**
   * `GET /v1/reports/schedule-preview`: the first `count` due times at or after `from`
   * (default now) of a schedule in a zone, as a report with them would run; nothing is stored.
   */
  previewSchedule(
    query: ReportSchedulePreviewQueryDto,
    now = new Date(),
  ): ReportSchedulePreviewDto {
    const schedule = this.checkSchedule(query.schedule, query.timezone);
    const from = query.from === undefined ? now : checkPreviewFrom(query.from);
    // nextRuns is strictly after its instant; a due time at `from` itself is listed.
    const dueTimes = schedule.nextRuns(new Date(from.getTime() - 1), query.count);
    return {
      schedule: query.schedule.trim(),
      timezone: query.timezone,
      dueTimes: dueTimes.map((at) => formatInZone(at, query.timezone)),
    };
  }

  /** The report, or a 404 naming it. */
  async find(organizationId: OrganizationId, id: string): Promise<ReportEntity> {
    const report = await this.reports.find(organizationId, id);
    if (report === null) throw new ProblemException(404, 'not-found', `There is no report ${id}`);
    return report;
  }

  async list(organizationId: OrganizationId, query: PageQueryDto): Promise<Page<ReportDto>> {
    const limit = query.limit ?? 50;
    const rows = await this.reports.list(organizationId, limit, decodeCursor(query.cursor));
    const now = new Date();
    return toPage(rows, limit, (report) => mapReport(report, nextRunsOf(report, now)));
  }

  async update(
    principal: Principal,
    id: string,
    dto: UpdateReportDto,
    meta?: RequestMeta,
    now = new Date(),
  ): Promise<ReportWithSecretDto> {
    const organizationId = principal.organizationId;
    if (dto.webhookUrl !== null) this.checkWebhook(dto.webhookUrl);
    const metrics = dto.metrics === undefined ? undefined : checkMetrics(dto.metrics);
    if (dto.datasetId !== null) await this.checkDataset(organizationId, dto.datasetId);
    let secret: string | null = null;
    const report = await this.reports.inTransaction(async (work) => {
      const current = await this.reports.findForUpdate(organizationId, id, work);
      if (current === null)
        throw new ProblemException(404, 'not-found', `There is no report ${id}`);
      const schedule = this.checkSchedule(
        dto.schedule ?? current.schedule,
        dto.timezone ?? current.timezone,
      );
      const changes: ReportChanges = {
        name: dto.name,
        metrics,
        datasetId: dto.datasetId,
        period: dto.period,
        schedule: dto.schedule?.trim(),
        timezone: dto.timezone,
        catchUp: dto.catchUp,
        formats: dto.formats,
        attachDocument: dto.attachDocument,
        enabled: dto.enabled,
      };
      Object.assign(changes, webhookChanges(current, dto.webhookUrl));
      secret = changes.webhookSecret ?? null;
      // A new schedule, or a report enabled again, starts from now: no catch-up of the time
      // it did not have this schedule (or was off).
      const rescheduled =
        (dto.schedule !== undefined && dto.schedule.trim() !== current.schedule) ||
        (dto.timezone !== undefined && dto.timezone !== current.timezone) ||
        (dto.enabled === true && !current.enabled);
      const enabled = dto.enabled ?? current.enabled;
      if (rescheduled) changes.scheduledThrough = now;
      const from = rescheduled ? now : current.scheduledThrough;
      changes.nextDueAt = enabled ? nextDue(schedule, from) : null;
      const defined = Object.fromEntries(
        Object.entries(changes).filter(([, value]) => value !== undefined),
      ) as ReportChanges;
      await this.reports.update(organizationId, id, defined, work);
      return (await this.reports.find(organizationId, id, work)) ?? current;
    });
    await this.audited(principal, 'report.updated', report, meta);
    return withSecret(mapReport(report, nextRunsOf(report, now)), secret);
  }

  async delete(principal: Principal, id: string, meta?: RequestMeta): Promise<void> {
    const report = await this.find(principal.organizationId, id);
    if (!(await this.reports.delete(principal.organizationId, id))) {
      throw new ProblemException(404, 'not-found', `There is no report ${id}`);
    }
    await this.audited(principal, 'report.deleted', report, meta);
  }

  /**
   * A new webhook secret, shown once; the one before keeps signing (beside it) for
   * {@link SECRET_ROTATION_OVERLAP_MS}, so receivers can switch without losing a delivery.
   */
  async rotateSecret(
    principal: Principal,
    id: string,
    meta?: RequestMeta,
    now = new Date(),
  ): Promise<ReportWithSecretDto> {
    const organizationId = principal.organizationId;
    const secret = newWebhookSecret();
    const report = await this.reports.inTransaction(async (work) => {
      const current = await this.reports.findForUpdate(organizationId, id, work);
      if (current === null)
        throw new ProblemException(404, 'not-found', `There is no report ${id}`);
      if (current.webhookUrl === null || current.webhookSecret === null) {
        throw new ProblemException(409, 'no-webhook', `Report ${id} has no webhook to sign for`);
      }
      await this.reports.update(
        organizationId,
        id,
        {
          webhookSecret: secret,
          webhookPreviousSecret: current.webhookSecret,
          webhookPreviousSecretUntil: new Date(now.getTime() + SECRET_ROTATION_OVERLAP_MS),
        },
        work,
      );
      return (await this.reports.find(organizationId, id, work)) ?? current;
    });
    await this.audited(principal, 'report.secret-rotated', report, meta);
    return withSecret(mapReport(report, nextRunsOf(report, now)), secret);
  }

  private checkSchedule(schedule: string, timezone: string): ReportSchedule {
    try {
      return parseReportSchedule(schedule, timezone);
    } catch (error) {
      if (error instanceof ReportScheduleError) {
        throw new RequestValidationException([{ field: error.field, message: error.message }]);
      }
      throw error;
    }
  }

  private checkCreateFormats(dto: CreateReportDto): ReportFormatName[] {
    if (dto.format !== undefined && dto.formats !== undefined) {
      throw new RequestValidationException([
        { field: 'format', message: 'give format or formats, not both' },
      ]);
    }
    return dto.formats ?? [dto.format ?? 'pdf'];
  }

  private checkWebhook(url: string | undefined): void {
    if (url === undefined) return;
    const problem = checkWebhookUrl(url, this.config.webhooks);
    if (problem !== null)
      throw new RequestValidationException([{ field: 'webhookUrl', message: problem }]);
  }

  private async checkDataset(organizationId: OrganizationId, datasetId: string | undefined) {
    if (datasetId === undefined) return;
    if ((await this.datasets.find(organizationId, datasetId)) === null) {
      throw new RequestValidationException([
        { field: 'datasetId', message: `there is no dataset ${datasetId} in this organization` },
      ]);
    }
  }

  private audited(principal: Principal, action: string, report: ReportEntity, meta?: RequestMeta) {
    return this.audit.record({
      actor: principal,
      action,
      outcome: 'success',
      target: { type: 'report', id: report.id },
      meta,
      details: { name: report.name },
    });
  }
}

/** Metrics as stored: dimensions checked (string values, metric key rules), `avg` by default. */
function checkMetrics(metrics: ReportMetricDto[]): ReportMetricSpec[] {
  const errors: FieldError[] = [];
  const specs = metrics.map((metric, index) => {
    const dimensions = metric.dimensions ?? {};
    const entries = Object.entries(dimensions);
    if (entries.length > 10) {
      errors.push({ field: `metrics[${index}].dimensions`, message: 'at most 10 dimensions' });
    }
    for (const [key, value] of entries) {
      if (!isDimensionKey(key)) {
        errors.push({
          field: `metrics[${index}].dimensions.${key}`,
          message: 'is not a dimension key',
        });
      } else if (typeof value !== 'string') {
        errors.push({ field: `metrics[${index}].dimensions.${key}`, message: 'must be a string' });
      }
    }
    return { name: metric.name, dimensions, aggregate: metric.aggregate ?? 'avg' };
  });
  if (errors.length > 0) throw new RequestValidationException(errors);
  return specs;
}

/** A preview's `from` as an instant; a 400 naming `from` when unreadable or out of range. */
function checkPreviewFrom(text: string): Date {
  const from = parseQueryTime(text, 'from');
  if (from.getTime() < PREVIEW_EARLIEST || from.getTime() >= PREVIEW_LATEST) {
    throw new RequestValidationException([
      { field: 'from', message: 'from must be from 1900-01-01 to before 2200-01-01' },
    ]);
  }
  return from;
}

/** The webhook columns a PATCH's `webhookUrl` changes (none when it is absent). */
function webhookChanges(current: ReportEntity, url: string | null | undefined): ReportChanges {
  if (url === undefined) return {};
  // The same address set again enables it after a 410 (its receiver is back).
  if (url === current.webhookUrl) return { webhookDisabledAt: null };
  if (url === null) {
    return {
      webhookUrl: null,
      webhookSecret: null,
      webhookPreviousSecret: null,
      webhookPreviousSecretUntil: null,
      webhookDisabledAt: null,
    };
  }
  // A new address keeps the secret receivers already hold; the first one gets a secret.
  return {
    webhookUrl: url,
    webhookDisabledAt: null,
    ...(current.webhookSecret === null ? { webhookSecret: newWebhookSecret() } : {}),
  };
}

function withSecret(report: ReportDto, secret: string | null): ReportWithSecretDto {
  return secret === null ? report : { ...report, webhookSecret: secret };
}

function nextDue(schedule: ReportSchedule, after: Date): Date | null {
  return schedule.nextRuns(after, 1)[0] ?? null;
}

function nextRuns(schedule: ReportSchedule, now: Date): string[] {
  return schedule.nextRuns(now, NEXT_RUNS).map((at) => formatInZone(at, schedule.timezone));
}

function nextRunsOf(report: ReportEntity, now: Date): string[] {
  if (!report.enabled) return [];
  return nextRuns(parseReportSchedule(report.schedule, report.timezone), now);
}
