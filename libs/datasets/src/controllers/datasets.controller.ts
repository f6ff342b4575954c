import { CurrentPrincipal, type Principal, RequirePermission, RequireSignature } from '@app/access';
import { type Page, PageQueryDto, type RequestMeta, RequestMetadata } from '@app/common';
import {
  IDEMPOTENCY_KEY_SCHEMA,
  IDEMPOTENT_REPLAY_HEADER,
  Idempotent,
  idempotencyKeyOf,
} from '@app/idempotency';
import { AppConfig } from '@app/config';
import { LongRequest, RateLimitClass } from '@app/rate-limit';
import {
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  DatasetDto,
  DatasetPageDto,
  DELIMITERS,
  DatasetProfileDto,
  DatasetRowsPageDto,
  DatasetRowsQueryDto,
  ExportQueryDto,
  HistogramQueryDto,
  mapDataset,
  mapProfile,
  UploadDatasetOptionsDto,
} from '../dtos/dataset.dto';
import { DatasetChartsService } from '../services/dataset-charts.service';
import { DatasetRowsService } from '../services/dataset-rows.service';
import { DatasetUploadService } from '../services/dataset-upload.service';
import { DatasetsService } from '../services/datasets.service';
import { IdempotentUploadsService } from '../services/idempotent-uploads.service';
import { readUploadRequest } from './upload-request';

const id = new ParseUUIDPipe();

@ApiTags('datasets')
@Controller('datasets')
export class DatasetsController {
  constructor(
    private readonly config: AppConfig,
    private readonly uploads: DatasetUploadService,
    private readonly idempotentUploads: IdempotentUploadsService,
    private readonly datasets: DatasetsService,
    private readonly rows: DatasetRowsService,
    private readonly charts: DatasetChartsService,
  ) {}

  @Post()
  @LongRequest()
  @RequirePermission('datasets:write')
  @RateLimitClass('expensive')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    schema: IDEMPOTENCY_KEY_SCHEMA,
    description:
      'Makes a retry safe: the same key with the same upload (caller, options, file bytes) within ' +
      '24 h answers the first response (with `Idempotent-Replayed: true`) and stores nothing ' +
      'again; with a different upload it is a 409. A repeat is read in full to be compared.',
  })
  @ApiOperation({
    summary: 'Upload a CSV file (streamed; typed, stored and profiled in one pass)',
    description:
      'Send `multipart/form-data` with the file in the field `file`, or the file itself as a ' +
      '`text/csv` body. `name`, `delimiter` and `header` go in the query string (or, for a form, ' +
      'in fields sent before the file; a field after it is a 400). All or nothing: a rejected or ' +
      'interrupted upload stores nothing.',
  })
  @ApiConsumes('multipart/form-data', 'text/csv')
  @ApiBody({
    schema: {
      oneOf: [
        {
          type: 'object',
          required: ['file'],
          properties: {
            file: { type: 'string', format: 'binary' },
            name: { type: 'string', minLength: 1, maxLength: 200 },
            delimiter: { type: 'string', enum: Object.keys(DELIMITERS) },
            header: { type: 'boolean' },
          },
        },
        { type: 'string', format: 'binary' },
      ],
    },
  })
  @ApiCreatedResponse({ type: DatasetDto })
  async upload(
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query() query: UploadDatasetOptionsDto,
    @RequestMetadata() meta: RequestMeta,
  ): Promise<unknown> {
    const key = idempotencyKeyOf(request);
    const upload = await readUploadRequest(
      request,
      { ...query },
      this.config.datasets,
      this.config.longRequests,
    );
    if (key === undefined) return mapDataset(await this.uploads.upload(principal, upload, meta));
    const answer = await this.idempotentUploads.upload(principal, upload, key, meta, mapDataset);
    if (answer.replayed) void reply.header(IDEMPOTENT_REPLAY_HEADER, 'true');
    void reply.status(answer.status);
    return answer.body;
  }

  @Get()
  @RequirePermission('datasets:read')
  @ApiOperation({ summary: "List the organization's datasets, newest first" })
  @ApiOkResponse({ type: DatasetPageDto })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: PageQueryDto,
  ): Promise<Page<DatasetDto>> {
    return this.datasets.list(principal.organizationId, query);
  }

  @Get(':id')
  @RequirePermission('datasets:read')
  @ApiOperation({ summary: 'Get a dataset: its columns, types and size' })
  @ApiOkResponse({ type: DatasetDto })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', id) datasetId: string,
  ): Promise<DatasetDto> {
    return mapDataset(await this.datasets.get(principal.organizationId, datasetId));
  }

  @Get(':id/profile')
  @RequirePermission('datasets:read')
  @ApiOperation({ summary: "Get a dataset's column profile (computed while it was uploaded)" })
  @ApiOkResponse({ type: DatasetProfileDto })
  async profile(
    @CurrentPrincipal() principal: Principal,
    @Param('id', id) datasetId: string,
  ): Promise<DatasetProfileDto> {
    return mapProfile(await this.datasets.get(principal.organizationId, datasetId));
  }

  @Get(':id/rows')
  @RequirePermission('datasets:read')
  @ApiOperation({ summary: "Page through a dataset's rows in file order" })
  @ApiOkResponse({ type: DatasetRowsPageDto })
  async listRows(
    @CurrentPrincipal() principal: Principal,
    @Param('id', id) datasetId: string,
    @Query() query: DatasetRowsQueryDto,
  ): Promise<DatasetRowsPageDto> {
    return this.rows.page(principal.organizationId, datasetId, query.limit, query.cursor);
  }

  @Get(':id/export')
  @LongRequest()
  @RequirePermission('datasets:read')
  @RateLimitClass('expensive')
  @ApiOperation({
    summary: 'Export a dataset as CSV or JSON (streamed)',
    description:
      'CSV text cells starting with `=`, `+`, `-`, `@`, a tab or a carriage return are prefixed ' +
      "with `'` so spreadsheets do not run them as formulas.",
  })
  @ApiProduces('text/csv', 'application/json')
  @ApiOkResponse({ description: 'The rows, header first (CSV) or as an array of objects (JSON)' })
  async export(
    @CurrentPrincipal() principal: Principal,
    @Param('id', id) datasetId: string,
    @Query() query: ExportQueryDto,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { filename, stream } = await this.rows.export(
      principal.organizationId,
      datasetId,
      query.format,
    );
    await reply
      .type(query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="${filename}"`)
      .send(stream);
  }

  @Get(':id/columns/:column/histogram.svg')
  @RequirePermission('datasets:read')
  @Header('content-type', 'image/svg+xml; charset=utf-8')
  @ApiOperation({ summary: "Chart a column's distribution (SVG, Vega-Lite)" })
  @ApiProduces('image/svg+xml')
  @ApiOkResponse({ description: 'An SVG histogram (bar chart of top values for text columns)' })
  async histogram(
    @CurrentPrincipal() principal: Principal,
    @Param('id', id) datasetId: string,
    @Param('column') column: string,
    @Query() query: HistogramQueryDto,
  ): Promise<string> {
    return this.charts.histogram(principal.organizationId, datasetId, column, query.bins);
  }

  @Delete(':id')
  @Idempotent()
  @HttpCode(204)
  @RequirePermission('datasets:write')
  @RequireSignature()
  @ApiOperation({ summary: 'Delete a dataset and its rows' })
  @ApiNoContentResponse()
  async delete(
    @CurrentPrincipal() principal: Principal,
    @Param('id', id) datasetId: string,
    @RequestMetadata() meta: RequestMeta,
  ): Promise<void> {
    await this.datasets.delete(principal, datasetId, meta);
  }
}
