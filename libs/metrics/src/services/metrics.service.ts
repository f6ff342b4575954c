import type { OrganizationId } from '@app/tenancy';
import type { Principal } from '@app/access';
import { type FieldError, RequestValidationException } from '@app/common';
import type { UnitOfWork } from '@app/database';
import { DatasetsService } from '@app/datasets';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { MetricsCacheService } from './metrics-cache.service';
import type { WriteMetricsResultDto } from '../dtos/metric.dto';
import { parseMetricInputs } from '../input/metric-input';
import { SeriesWarmerJob } from '../jobs/series-warmer.job';
import type { MetricProvenance } from '../repositories/metric-queries';
import { MetricsRepository } from '../repositories/metrics.repository';
import { MetricReadsService } from './metric-reads.service';

/** Where an agent's `record_metric` call comes from: its analysis, agent and tool call. */
export interface RecordMetricContext {
  organizationId: OrganizationId;
  analysisId: string;
  agent: string;
  toolCallId: string;
  /** Principal that started the analysis. */
  createdBy: string;
}

/**
 * The write rules of metrics: writes from clients and from agents, checked alike, each
 * invalidating the cached reads (MetricReadsService) before it answers and warming the
 * most-read series it touched (SeriesWarmerJob).
 */
@Injectable()
export class MetricsService {
  constructor(
    private readonly metrics: MetricsRepository,
    private readonly datasets: DatasetsService,
    private readonly cache: MetricsCacheService,
    private readonly warmer: SeriesWarmerJob,
    private readonly reads: MetricReadsService,
  ) {}

  /** `POST /v1/metrics`: a client's write, all or nothing. */
  write(principal: Principal, items: unknown): Promise<WriteMetricsResultDto> {
    return this.store(principal.organizationId, items, {
      source: 'client',
      analysisId: null,
      agent: null,
      toolCallId: null,
      createdBy: principal.id,
    });
  }

  /**
   * What the analysis agents' `record_metric` tool calls: the same checks as the API,
   * with the agent's provenance (analysis, agent, tool call) on every metric.
   */
  record(context: RecordMetricContext, items: unknown): Promise<WriteMetricsResultDto> {
    return this.store(context.organizationId, items, {
      source: 'agent',
      analysisId: context.analysisId,
      agent: context.agent,
      toolCallId: context.toolCallId,
      createdBy: context.createdBy,
    });
  }

  /**
   * An analysis' metrics, replacing any it wrote before (a retried run writes exactly one
   * set), in the caller's transaction; each group carries the agent and tool call that
   * produced its values. Call {@link afterCommit} with the result once it commits.
   */
  async replaceForAnalysis(
    work: UnitOfWork,
    context: Omit<RecordMetricContext, 'agent' | 'toolCallId'>,
    groups: Array<{ agent: string; toolCallId: string | null; metrics: unknown[] }>,
  ): Promise<{ ids: string[]; names: string[] }> {
    const { organizationId, analysisId, createdBy } = context;
    const names = new Set(await this.metrics.deleteForAnalysis(organizationId, analysisId, work));
    const ids: string[] = [];
    for (const group of groups.filter((g) => g.metrics.length > 0)) {
      const metrics = parseMetricInputs(group.metrics, new Date());
      const groupIds = metrics.map(() => randomUUID());
      const provenance: MetricProvenance = {
        source: 'agent',
        analysisId,
        agent: group.agent,
        toolCallId: group.toolCallId,
        createdBy,
      };
      await this.metrics.insert(organizationId, groupIds, metrics, provenance, work);
      ids.push(...groupIds);
      for (const metric of metrics) names.add(metric.name);
    }
    return { ids, names: [...names] };
  }

  /** After a transaction that wrote metrics of these names committed: invalidate and warm. */
  async afterCommit(organizationId: OrganizationId, names: string[]): Promise<void> {
    await this.cache.invalidate(organizationId, names);
    this.warmer.schedule(this.warmer.mostRead(organizationId, new Set(names)), (series) =>
      this.reads.warm(organizationId, series),
    );
  }

  private async store(
    organizationId: OrganizationId,
    items: unknown,
    provenance: MetricProvenance,
  ): Promise<WriteMetricsResultDto> {
    const metrics = parseMetricInputs(items, new Date());
    await this.checkDatasets(
      organizationId,
      metrics.map((metric) => metric.datasetId),
    );
    const ids = metrics.map(() => randomUUID());
    await this.metrics.insert(organizationId, ids, metrics, provenance);
    await this.afterCommit(organizationId, [...new Set(metrics.map((metric) => metric.name))]);
    return { count: ids.length, ids };
  }

  /** Every `datasetId` must name a dataset of the organization (else 400, by index). */
  private async checkDatasets(
    organizationId: OrganizationId,
    datasetIds: Array<string | null>,
  ): Promise<void> {
    const wanted = [...new Set(datasetIds.filter((id): id is string => id !== null))];
    if (wanted.length === 0) return;
    const found = await this.datasets.existingIds(organizationId, wanted);
    const errors: FieldError[] = [];
    datasetIds.forEach((id, index) => {
      if (id !== null && !found.has(id) && errors.length < 50) {
        errors.push({ field: `metrics[${index}].datasetId`, message: `there is no dataset ${id}` });
      }
    });
    if (errors.length > 0) throw new RequestValidationException(errors);
  }
}
