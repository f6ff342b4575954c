import { type OrganizationId, organizationIdOf } from '@app/tenancy';
import { MemoryReadCache } from '@app/cache';
import type { Keyed, KeysetPosition } from '@app/common';
import { type AppConfig, loadConfig } from '@app/config';
import type { DatasetsService } from '@app/datasets';
import { MetricsCacheService } from '../services/metrics-cache.service';
import type { MetricInput } from '../input/metric-input';
import { SeriesWarmerJob } from '../jobs/series-warmer.job';
import type {
  MetricFilter,
  MetricNameRow,
  MetricProvenance,
  MetricRow,
  SeriesGroups,
  SeriesQuery,
  SeriesRow,
} from '../repositories/metric-queries';
import type { MetricsRepository } from '../repositories/metrics.repository';
import { MetricReadsService } from '../services/metric-reads.service';
import { MetricsService } from '../services/metrics.service';

export const ORG_A = organizationIdOf('11111111-1111-4111-8111-111111111111');
export const ORG_B = organizationIdOf('22222222-2222-4222-8222-222222222222');

type StoredMetric = MetricRow & { organizationId: OrganizationId };

/**
 * MetricsRepository over rows in memory: writes, lists and names by organization (never
 * across); series and their groups answer what the test sets. Every call is recorded with
 * the organization it was made for.
 */
export class FakeMetricsRepository {
  readonly rows: StoredMetric[] = [];
  readonly calls: Array<{ method: string; organizationId: OrganizationId; work?: unknown }> = [];
  seriesRows: SeriesRow[] = [];
  groups: SeriesGroups = { kept: [], total: 0 };

  insert(
    organizationId: OrganizationId,
    ids: string[],
    metrics: MetricInput[],
    provenance: MetricProvenance,
    work?: unknown,
  ): Promise<void> {
    this.calls.push({ method: 'insert', organizationId, work });
    metrics.forEach((metric, i) => {
      this.rows.push({
        ...metric,
        id: ids[i] ?? '',
        organizationId,
        source: provenance.source,
        analysisId: provenance.analysisId,
        agent: provenance.agent,
        toolCallId: provenance.toolCallId,
        createdAt: new Date(),
      });
    });
    return Promise.resolve();
  }

  deleteForAnalysis(
    organizationId: OrganizationId,
    analysisId: string,
    work: unknown,
  ): Promise<string[]> {
    this.calls.push({ method: 'deleteForAnalysis', organizationId, work });
    const gone = this.rows.filter(
      (row) => row.organizationId === organizationId && row.analysisId === analysisId,
    );
    for (const row of gone) this.rows.splice(this.rows.indexOf(row), 1);
    return Promise.resolve([...new Set(gone.map((row) => row.name))].sort());
  }

  list(
    organizationId: OrganizationId,
    filter: MetricFilter,
    limit: number,
    after: KeysetPosition | undefined,
  ): Promise<Array<Keyed<MetricRow>>> {
    this.calls.push({ method: 'list', organizationId });
    const keyed = this.rows
      .filter((row) => row.organizationId === organizationId)
      .filter((row) => filter.name === undefined || row.name === filter.name)
      .map(({ organizationId: _organizationId, ...item }) => ({
        item,
        position: { time: item.observedAt.toISOString().replace('Z', '000Z'), id: item.id },
      }))
      .sort((a, b) => (a.position.time < b.position.time ? 1 : -1))
      .filter(({ position }) => after === undefined || position.time < after.time);
    return Promise.resolve(keyed.slice(0, limit + 1));
  }

  names(organizationId: OrganizationId): Promise<MetricNameRow[]> {
    this.calls.push({ method: 'names', organizationId });
    const names = new Map<string, MetricNameRow>();
    for (const row of this.rows.filter((r) => r.organizationId === organizationId)) {
      const known = names.get(row.name);
      names.set(row.name, {
        name: row.name,
        count: (known?.count ?? 0) + 1,
        lastObservedAt:
          known === undefined || known.lastObservedAt < row.observedAt
            ? row.observedAt
            : known.lastObservedAt,
      });
    }
    return Promise.resolve([...names.values()].sort((a, b) => (a.name < b.name ? -1 : 1)));
  }

  topGroups(organizationId: OrganizationId): Promise<SeriesGroups> {
    this.calls.push({ method: 'topGroups', organizationId });
    return Promise.resolve(this.groups);
  }

  series(
    organizationId: OrganizationId,
    _query: SeriesQuery,
    _kept: Array<string | null>,
    limit: number,
  ): Promise<SeriesRow[]> {
    this.calls.push({ method: 'series', organizationId });
    return Promise.resolve(this.seriesRows.slice(0, limit));
  }

  /** The methods called, in order (optionally only those that read). */
  methods(): string[] {
    return this.calls.map((call) => call.method);
  }

  asRepository(): MetricsRepository {
    return this as unknown as MetricsRepository;
  }
}

/** DatasetsService's `existingIds`, over datasets by organization. */
export function datasetsOf(byOrganization: Record<string, string[]>): {
  service: DatasetsService;
  asked: string[];
} {
  const asked: string[] = [];
  const service = {
    existingIds(organizationId: OrganizationId, ids: readonly string[]): Promise<Set<string>> {
      asked.push(organizationId);
      const own = byOrganization[organizationId] ?? [];
      return Promise.resolve(new Set(ids.filter((id) => own.includes(id))));
    },
  } as unknown as DatasetsService;
  return { service, asked };
}

/**
 * The metrics services as the module wires them, over a fake repository, a real
 * MetricsCacheService in memory and a real SeriesWarmerJob.
 */
export function metricsServices(
  env: Record<string, string> = {},
  datasets = datasetsOf({}).service,
): {
  config: AppConfig;
  repository: FakeMetricsRepository;
  cache: MetricsCacheService;
  warmer: SeriesWarmerJob;
  reads: MetricReadsService;
  writes: MetricsService;
} {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
  const repository = new FakeMetricsRepository();
  const cache = new MetricsCacheService(new MemoryReadCache(1000), config);
  const warmer = new SeriesWarmerJob(config);
  const reads = new MetricReadsService(repository.asRepository(), cache, warmer, config);
  const writes = new MetricsService(repository.asRepository(), datasets, cache, warmer, reads);
  return { config, repository, cache, warmer, reads, writes };
}
