import { CurrentPrincipal, type Principal, RequirePermission } from '@app/access';
import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DownloadQueryDto, ReportRunDetailDto } from '../dtos/report-run.dto';
import { ReportRunsService } from '../services/report-runs.service';

const id = new ParseUUIDPipe();

/** `attachment` with an ASCII fallback name and the exact one (RFC 6266, RFC 8187). */
function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

@ApiTags('reports')
@Controller('report-runs')
export class ReportRunsController {
  constructor(private readonly runs: ReportRunsService) {}

  @Get(':id')
  @RequirePermission('reports:read')
  @ApiOperation({ summary: 'Get a report run: status, period, documents, every delivery attempt' })
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', id) runId: string,
  ): Promise<ReportRunDetailDto> {
    return this.runs.get(principal.organizationId, runId);
  }

  @Get(':id/download')
  @RequirePermission('reports:read')
  @ApiOperation({
    summary: "Download a run's document",
    description:
      '409 `report-run-not-ready` while the run has not been generated; 404 for a format it was not made in.',
  })
  @ApiProduces('application/pdf', 'text/html', 'text/csv', 'application/json')
  @ApiOkResponse({ description: 'The document, as stored when the run was generated' })
  async download(
    @CurrentPrincipal() principal: Principal,
    @Param('id', id) runId: string,
    @Query() query: DownloadQueryDto,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const document = await this.runs.download(principal.organizationId, runId, query.format);
    await reply
      .type(document.contentType)
      .header('content-disposition', attachment(document.fileName))
      .header('x-content-type-options', 'nosniff')
      .send(document.body);
  }

  @Post(':id/redeliver')
  @HttpCode(202)
  @RequirePermission('reports:write')
  @ApiOperation({
    summary: "Send a run's webhook again",
    description:
      'Starts a fresh series of attempts (with backoff); 409 while attempts are still going on.',
  })
  @ApiAcceptedResponse({ type: ReportRunDetailDto })
  redeliver(
    @CurrentPrincipal() principal: Principal,
    @Param('id', id) runId: string,
  ): Promise<ReportRunDetailDto> {
    return this.runs.redeliver(principal, runId);
  }
}
