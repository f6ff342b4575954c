import { CurrentPrincipal, type Principal, RequirePermission } from '@app/access';
import { BodyLimit } from '@app/common';
import { Idempotent } from '@app/idempotency';
import { LongRequest, RateLimitClass } from '@app/rate-limit';
import { Body, Controller, Get, Header, Post, Query, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  ExportMetricsQueryDto,
  ListMetricsQueryDto,
  MetricNamesDto,
  MetricPageDto,
  SeriesDto,
  SeriesQueryDto,
  WriteMetricsDto,
  WriteMetricsResultDto,
} from '../dtos/metric.dto';
import { MetricReadsService } from '../services/metric-reads.service';
import { MetricsExportService } from '../services/metrics-export.service';
import { MetricsService } from '../services/metrics.service';

/** The cached reads answer JSON text as it was cached (see MetricReadsService). */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** 10,000 metrics with long names and 20 dimensions each still fit. */
const WRITE_BODY_LIMIT_BYTES = 32 * 1024 * 1024;

@ApiTags('metrics')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly reads: MetricReadsService,
    private readonly exports: MetricsExportService,
  ) {}

  @Post()
  @RequirePermission('metrics:write')
  @Idempotent()
  @BodyLimit(WRITE_BODY_LIMIT_BYTES)
  @ApiOperation({
    summary: 'Write up to 10,000 metrics in one request (all or nothing)',
    description:
      'Every bad item is named by its index (`metrics[12].value`) and nothing is written. ' +
      'The next read, on any replica, sees the new values.',
  })
  @ApiCreatedResponse({ type: WriteMetricsResultDto })
  @ApiPayloadTooLargeResponse({ description: 'More than 10,000 metrics, or a body over 32 MiB' })
  write(
    @CurrentPrincipal() principal: Principal,
    @Body() body: WriteMetricsDto,
  ): Promise<WriteMetricsResultDto> {
    return this.metrics.write(principal, body.metrics);
  }

  @Get()
  @RequirePermission('metrics:read')
  @Header('content-type', JSON_CONTENT_TYPE)
  @ApiOperation({
    summary: 'List metrics, newest first',
    description: 'Filter by name, dataset, analysis, source, time range and `dim.<key>=<value>`.',
  })
  @ApiOkResponse({ type: MetricPageDto })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListMetricsQueryDto,
  ): Promise<string> {
    return this.reads.list(principal.organizationId, query);
  }

  @Get('names')
  @RequirePermission('metrics:read')
  @Header('content-type', JSON_CONTENT_TYPE)
  @ApiOperation({ summary: 'The metric names of the organization, with counts and latest times' })
  @ApiOkResponse({ type: MetricNamesDto })
  names(@CurrentPrincipal() principal: Principal): Promise<string> {
    return this.reads.names(principal.organizationId);
  }

  @Get('series')
  @RequirePermission('metrics:read')
  @Header('content-type', JSON_CONTENT_TYPE)
  @ApiOperation({
    summary: 'A metric aggregated into time buckets (UTC), empty buckets included',
    description:
      '`interval` minute|hour|day|week|month, `agg` avg|sum|min|max|count|p50|p95 ' +
      '(percentiles interpolated, as percentile_cont), optional `groupBy` a dimension key.',
  })
  @ApiOkResponse({ type: SeriesDto })
  series(
    @CurrentPrincipal() principal: Principal,
    @Query() query: SeriesQueryDto,
  ): Promise<string> {
    return this.reads.series(principal.organizationId, query);
  }

  @Get('series.svg')
  @RequirePermission('metrics:read')
  @RateLimitClass('expensive')
  @Header('content-type', 'image/svg+xml; charset=utf-8')
  @ApiOperation({ summary: 'The same series as a line chart (SVG, Vega-Lite)' })
  @ApiProduces('image/svg+xml')
  @ApiOkResponse({ description: 'An SVG line chart' })
  seriesChart(
    @CurrentPrincipal() principal: Principal,
    @Query() query: SeriesQueryDto,
  ): Promise<string> {
    return this.reads.seriesChart(principal.organizationId, query);
  }

  @Get('export')
  @LongRequest()
  @RequirePermission('metrics:read')
  @RateLimitClass('expensive')
  @ApiOperation({
    summary: 'Export matching metrics as CSV or JSON (streamed, newest first)',
    description:
      "CSV text cells starting with `=`, `+`, `-`, `@`, a tab or a carriage return are prefixed with `'`.",
  })
  @ApiProduces('text/csv', 'application/json')
  @ApiOkResponse({ description: 'The metrics, header first (CSV) or as an array (JSON)' })
  async export(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ExportMetricsQueryDto,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const stream = await this.exports.export(principal.organizationId, query, query.format);
    await reply
      .type(query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="metrics.${query.format}"`)
      .send(stream);
  }
}
