import { CurrentPrincipal, type Principal, RequirePermission } from '@app/access';
import { type Page } from '@app/common';
import { Idempotent } from '@app/idempotency';
import { LongRequest, RateLimitClass } from '@app/rate-limit';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  AnalysisAcceptedDto,
  AnalysisBatchAcceptedDto,
  AnalysisDto,
  AnalysisPageDto,
  AnalysisReplayAcceptedDto,
  CreateAnalysisBatchDto,
  CreateAnalysisDto,
  ListAnalysesQueryDto,
  mapAnalysis,
  WaitQueryDto,
} from '../dtos/analysis.dto';
import { AnalysesService } from '../services/analyses.service';
import { AnalysisStreamService } from '../services/analysis-stream.service';

const id = new ParseUUIDPipe();

@ApiTags('analyses')
@Controller('analyses')
export class AnalysesController {
  constructor(
    private readonly analyses: AnalysesService,
    private readonly stream: AnalysisStreamService,
  ) {}

  @Post()
  @HttpCode(202)
  @RequirePermission('analyses:write')
  @RateLimitClass('expensive')
  @Idempotent()
  @ApiOperation({
    summary: 'Start an analysis of a dataset, records, free text or a metric series',
    description:
      'Answers 202 `{id, status}` at once; with `?wait=<seconds>` (≤ 60) it answers 200 with the ' +
      'finished analysis when it finishes in time (else still 202).',
  })
  @ApiAcceptedResponse({ type: AnalysisAcceptedDto, description: 'The queued analysis' })
  @ApiOkResponse({ type: AnalysisDto, description: 'The finished analysis (with `?wait=`)' })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateAnalysisDto,
    @Query() query: WaitQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AnalysisDto | { id: string; status: string }> {
    const created = await this.analyses.create(principal, body);
    if (query.wait === undefined || query.wait === 0)
      return { id: created.id, status: created.status };
    const analysis = await this.analyses.wait(principal.organizationId, created.id, query.wait);
    if (analysis.status === 'queued' || analysis.status === 'running') {
      return { id: analysis.id, status: analysis.status };
    }
    void reply.status(200);
    return mapAnalysis(analysis);
  }

  @Post('batch')
  @HttpCode(202)
  @RequirePermission('analyses:write')
  @RateLimitClass('expensive')
  @Idempotent()
  @ApiOperation({
    summary: 'Start up to 100 analyses at once (all or none)',
    description:
      'Each item is a body of `POST /v1/analyses`; a bad item is a 400 naming its index.',
  })
  @ApiAcceptedResponse({ type: AnalysisBatchAcceptedDto })
  async createBatch(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateAnalysisBatchDto,
  ): Promise<{ data: Array<{ id: string; status: string }> }> {
    const created = await this.analyses.createBatch(principal, body.items);
    return { data: created.map((analysis) => ({ id: analysis.id, status: analysis.status })) };
  }

  @Post(':id/replay')
  @Idempotent()
  @HttpCode(202)
  @RequirePermission('analyses:write')
  @RateLimitClass('expensive')
  @ApiOperation({
    summary: 'Start a new analysis over the same input and options',
    description: 'The new analysis has `replayOf` set; its result can be compared with the first.',
  })
  @ApiAcceptedResponse({ type: AnalysisReplayAcceptedDto })
  async replay(
    @CurrentPrincipal() principal: Principal,
    @Param('id', id) analysisId: string,
  ): Promise<{ id: string; status: string; replayOf: string | null }> {
    const created = await this.analyses.replay(principal, analysisId);
    return { id: created.id, status: created.status, replayOf: created.replayOf };
  }

  @Get()
  @RequirePermission('analyses:read')
  @ApiOperation({ summary: 'List analyses, newest first' })
  @ApiOkResponse({ type: AnalysisPageDto })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListAnalysesQueryDto,
  ): Promise<Page<AnalysisDto>> {
    return this.analyses.list(principal.organizationId, query);
  }

  @Get(':id')
  @RequirePermission('analyses:read')
  @ApiOperation({ summary: 'Get an analysis: status, agents, result' })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', id) analysisId: string,
  ): Promise<AnalysisDto> {
    return mapAnalysis(await this.analyses.get(principal.organizationId, analysisId));
  }

  @Get(':id/events')
  @LongRequest()
  @RequirePermission('analyses:read')
  @ApiOperation({
    summary: 'Follow an analysis as Server-Sent Events',
    description:
      'Events `status`, `agent.started`, `agent.finished`, then a final `completed` or `failed`, ' +
      'each with an `id`; send `Last-Event-ID` to resume. A `: keep-alive` comment every 15 s. ' +
      'On a finished analysis the stream sends the events after `Last-Event-ID` and ends.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'An event stream that ends after the final event' })
  async events(
    @CurrentPrincipal() principal: Principal,
    @Param('id', id) analysisId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const analysis = await this.analyses.get(principal.organizationId, analysisId);
    const header = request.headers['last-event-id'];
    const lastEventId = typeof header === 'string' && /^\d{1,18}$/.test(header) ? header : '0';
    // Headers set so far (rate limit, security, CORS) are Fastify's to send, and a hijacked
    // reply sends none of them: the stream writes them itself.
    const headers = reply.getHeaders();
    reply.hijack();
    await this.stream.stream(
      principal.organizationId,
      analysisId,
      analysis.status,
      lastEventId,
      reply.raw,
      String(request.id),
      headers,
    );
  }

  @Delete(':id')
  @Idempotent()
  @RequirePermission('analyses:write')
  @ApiOperation({ summary: 'Cancel a queued or running analysis' })
  @ApiOkResponse({ type: AnalysisDto, description: 'The analysis, now cancelled' })
  async cancel(
    @CurrentPrincipal() principal: Principal,
    @Param('id', id) analysisId: string,
  ): Promise<AnalysisDto> {
    return mapAnalysis(await this.analyses.cancel(principal.organizationId, analysisId));
  }
}
