import {
  CurrentPrincipal,
  type Principal,
  RequirePermission,
  RequireSignature,
  setsWebhookUrl,
} from '@app/access';
import { type Page, PageQueryDto, type RequestMeta, RequestMetadata } from '@app/common';
import { Idempotent } from '@app/idempotency';
import { RateLimitClass } from '@app/rate-limit';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  CreateReportDto,
  ReportDto,
  ReportMetricDto,
  ReportPageDto,
  ReportWithSecretDto,
  UpdateReportDto,
} from '../dtos/report.dto';
import { ReportRunPageDto, type ReportRunDto, RunRequestedDto } from '../dtos/report-run.dto';
import {
  ReportSchedulePreviewDto,
  ReportSchedulePreviewQueryDto,
} from '../dtos/report-schedule-preview.dto';
import { ReportRunsService } from '../services/report-runs.service';
import { ReportsService } from '../services/reports.service';

const id = new ParseUUIDPipe();

@ApiTags('reports')
@ApiExtraModels(ReportMetricDto)
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly runs: ReportRunsService,
  ) {}

  @Post()
  @RequirePermission('reports:write')
  @RequireSignature({ when: setsWebhookUrl })
  @Idempotent()
  @ApiOperation({
    summary: 'Define a scheduled report',
    description:
      'Answers the report with its next five due times; with a `webhookUrl`, also its ' +
      '`webhookSecret` (`whsec_…`), shown only now. An invalid `schedule` or `timezone` is a 400 naming it.',
  })
  @ApiCreatedResponse({ type: ReportWithSecretDto })
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateReportDto,
    @RequestMetadata() meta: RequestMeta,
  ): Promise<ReportWithSecretDto> {
    return this.reports.create(principal, body, meta);
  }

  @Get()
  @RequirePermission('reports:read')
  @ApiOperation({ summary: 'List reports, newest first' })
  @ApiOkResponse({ type: ReportPageDto })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: PageQueryDto,
  ): Promise<Page<ReportDto>> {
    return this.reports.list(principal.organizationId, query);
  }

  // Before `:id`, so the path is not read as a report id.
  @Get('schedule-preview')
  @RequirePermission('reports:read')
  @ApiOperation({
    summary: "List a schedule's due times before saving it",
    description:
      'The first `count` (default 5, at most 50) due times at or after `from` (default now) of ' +
      '`schedule` in `timezone`, in that zone with its offset, as a report would run. A fixed ' +
      'time the clock skips runs at the first instant after the gap and one it repeats runs once; ' +
      'a schedule with a wildcard, step, range or list in its minute or hour runs at each instant ' +
      'the clock reads a matching time. An invalid `schedule`, `timezone`, `from` or `count` is ' +
      'a 400 naming it.',
  })
  @ApiOkResponse({ type: ReportSchedulePreviewDto })
  previewSchedule(@Query() query: ReportSchedulePreviewQueryDto): ReportSchedulePreviewDto {
    return this.reports.previewSchedule(query);
  }

  @Get(':id')
  @RequirePermission('reports:read')
  @ApiOperation({ summary: 'Get a report with its next five due times (in its time zone)' })
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', id) reportId: string,
  ): Promise<ReportDto> {
    return this.reports.get(principal.organizationId, reportId);
  }

  @Patch(':id')
  @RequirePermission('reports:write')
  @RequireSignature({ when: setsWebhookUrl })
  @ApiOperation({
    summary: 'Change a report',
    description:
      'A new `schedule`, `timezone` or re-enabling starts from now (missed times are not caught up). ' +
      '`webhookUrl: null` removes the webhook; a first webhook answers its `webhookSecret` once.',
  })
  @ApiOkResponse({ type: ReportWithSecretDto })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', id) reportId: string,
    @Body() body: UpdateReportDto,
    @RequestMetadata() meta: RequestMeta,
  ): Promise<ReportWithSecretDto> {
    return this.reports.update(principal, reportId, body, meta);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('reports:write')
  @ApiOperation({ summary: 'Delete a report with its runs and documents' })
  @ApiNoContentResponse()
  delete(
    @CurrentPrincipal() principal: Principal,
    @Param('id', id) reportId: string,
    @RequestMetadata() meta: RequestMeta,
  ): Promise<void> {
    return this.reports.delete(principal, reportId, meta);
  }

  @Post(':id/run')
  @HttpCode(202)
  @RequirePermission('reports:write')
  @RateLimitClass('expensive')
  @Idempotent()
  @ApiOperation({
    summary: 'Run a report now, for the last complete period',
    description: "Counts against the organization's hourly run budget (429 `report-run-limit`).",
  })
  @ApiAcceptedResponse({ type: RunRequestedDto })
  async run(
    @CurrentPrincipal() principal: Principal,
    @Param('id', id) reportId: string,
  ): Promise<RunRequestedDto> {
    return { runId: await this.runs.runNow(principal, reportId) };
  }

  @Get(':id/runs')
  @RequirePermission('reports:read')
  @ApiOperation({ summary: "A report's runs, newest first" })
  @ApiOkResponse({ type: ReportRunPageDto })
  history(
    @CurrentPrincipal() principal: Principal,
    @Param('id', id) reportId: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<ReportRunDto>> {
    return this.runs.history(principal.organizationId, reportId, query);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @RequirePermission('reports:write')
  @RequireSignature()
  @ApiOperation({
    summary: "Rotate a report's webhook secret",
    description:
      'Answers the new `webhookSecret` once. For 24 hours both secrets sign each delivery ' +
      '(two `v1,` signatures), so receivers can switch without losing one.',
  })
  @ApiOkResponse({ type: ReportWithSecretDto })
  rotateSecret(
    @CurrentPrincipal() principal: Principal,
    @Param('id', id) reportId: string,
    @RequestMetadata() meta: RequestMeta,
  ): Promise<ReportWithSecretDto> {
    return this.reports.rotateSecret(principal, reportId, meta);
  }
}
