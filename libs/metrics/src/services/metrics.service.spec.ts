import type { Principal } from '@app/access';
import { ProblemException } from '@app/common';
import type { UnitOfWork } from '@app/database';
import { datasetsOf, metricsServices, ORG_A, ORG_B } from '../testing/fake-metrics';

const service: Principal = { kind: 'apiKey', id: 'key-1', organizationId: ORG_A, role: 'service' };
const OWN_DATASET = '0b7e4c1a-3f2d-4e5b-9a6c-7d8e9f0a1b2c';
const OTHER_DATASET = '5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f';
const AT = '2026-03-01T12:00:00Z';

const metric = (name: string, fields: Record<string, unknown> = {}) => ({
  name,
  value: 1,
  observedAt: AT,
  ...fields,
});

describe('MetricsService', () => {
  describe('write', () => {
    it("stores a client's metrics in its organization, with their provenance, and answers the ids", async () => {
      const { writes, repository } = metricsServices();
      const result = await writes.write(service, [metric('revenue'), metric('orders')]);
      expect(result.count).toBe(2);
      expect(repository.rows.map((row) => row.id)).toEqual(result.ids);
      expect(repository.rows).toEqual([
        expect.objectContaining({
          organizationId: ORG_A,
          name: 'revenue',
          source: 'client',
          analysisId: null,
          agent: null,
          toolCallId: null,
        }),
        expect.objectContaining({ organizationId: ORG_A, name: 'orders', source: 'client' }),
      ]);
      // In a transaction of the repository's own: none is passed.
      expect(repository.calls).toEqual([
        { method: 'insert', organizationId: ORG_A, work: undefined },
      ]);
    });

    it('refuses a bad item with 400 validation-error naming the field, storing nothing', async () => {
      const { writes, repository } = metricsServices();
      const refused = await writes
        .write(service, [metric('ok'), metric('bad name!'), metric('x', { value: 'NaN' })])
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ProblemException);
      expect(refused).toMatchObject({ status: 400, slug: 'validation-error' });
      const fields = (refused as ProblemException).fieldErrors?.map((error) => error.field);
      expect(fields).toEqual(['metrics[1].name', 'metrics[2].value']);
      expect(repository.calls).toEqual([]);
    });

    it('refuses more than 10,000 metrics with 413 too-many-metrics', async () => {
      const { writes } = metricsServices();
      const items = Array.from({ length: 10_001 }, () => metric('m'));
      await expect(writes.write(service, items)).rejects.toMatchObject({
        status: 413,
        slug: 'too-many-metrics',
      });
    });

    it('refuses a datasetId of another organization as one that does not exist, by index', async () => {
      const datasets = datasetsOf({ [ORG_A]: [OWN_DATASET], [ORG_B]: [OTHER_DATASET] });
      const { writes, repository } = metricsServices({}, datasets.service);
      const refused = await writes
        .write(service, [
          metric('a', { datasetId: OWN_DATASET }),
          metric('b', { datasetId: OTHER_DATASET }),
        ])
        .catch((error: unknown) => error);
      expect(refused).toMatchObject({
        status: 400,
        slug: 'validation-error',
        fieldErrors: [
          { field: 'metrics[1].datasetId', message: `there is no dataset ${OTHER_DATASET}` },
        ],
      });
      expect(datasets.asked).toEqual([ORG_A]);
      expect(repository.calls).toEqual([]);
    });

    it('asks for datasets only when a metric names one', async () => {
      const datasets = datasetsOf({});
      const { writes } = metricsServices({}, datasets.service);
      await writes.write(service, [metric('a')]);
      expect(datasets.asked).toEqual([]);
    });

    it("makes the writer's next read miss the cache (names and that metric's reads)", async () => {
      const { writes, reads, repository } = metricsServices();
      await writes.write(service, [metric('revenue')]);
      await reads.names(ORG_A);
      await reads.names(ORG_A);
      expect(repository.methods().filter((m) => m === 'names')).toHaveLength(1);
      await writes.write(service, [metric('revenue', { value: 2 })]);
      const names = JSON.parse(await reads.names(ORG_A)) as { data: Array<{ count: number }> };
      expect(names.data).toEqual([expect.objectContaining({ name: 'revenue', count: 2 })]);
    });
  });

  it("records an agent's metrics with its analysis, agent and tool call", async () => {
    const { writes, repository } = metricsServices();
    await writes.record(
      {
        organizationId: ORG_B,
        analysisId: 'a1',
        agent: 'trends',
        toolCallId: 'call_7',
        createdBy: 'user-1',
      },
      [metric('slope')],
    );
    expect(repository.rows).toEqual([
      expect.objectContaining({
        organizationId: ORG_B,
        source: 'agent',
        analysisId: 'a1',
        agent: 'trends',
        toolCallId: 'call_7',
      }),
    ]);
  });

  describe('replaceForAnalysis', () => {
    const work = { id: 'callers-transaction' } as unknown as UnitOfWork;
    const context = { organizationId: ORG_A, analysisId: 'a1', createdBy: 'user-1' };

    it("replaces the analysis' earlier metrics in the caller's transaction, group by group", async () => {
      const { writes, repository } = metricsServices();
      await writes.replaceForAnalysis(work, context, [
        { agent: 'trends', toolCallId: 'c1', metrics: [metric('old')] },
      ]);
      const result = await writes.replaceForAnalysis(work, context, [
        { agent: 'trends', toolCallId: 'c2', metrics: [metric('slope')] },
        { agent: 'profile', toolCallId: null, metrics: [] },
        { agent: 'anomalies', toolCallId: 'c3', metrics: [metric('outliers')] },
      ]);
      expect(repository.rows.map((row) => [row.name, row.agent, row.toolCallId])).toEqual([
        ['slope', 'trends', 'c2'],
        ['outliers', 'anomalies', 'c3'],
      ]);
      expect(result.ids).toEqual(repository.rows.map((row) => row.id));
      // The names it removed are stale too.
      expect(result.names.sort()).toEqual(['old', 'outliers', 'slope']);
      expect(repository.calls.slice(2)).toEqual([
        { method: 'deleteForAnalysis', organizationId: ORG_A, work },
        { method: 'insert', organizationId: ORG_A, work },
        { method: 'insert', organizationId: ORG_A, work },
      ]);
    });

    it("leaves another organization's metrics of the same analysis id alone", async () => {
      const { writes, repository } = metricsServices();
      await writes.replaceForAnalysis(work, { ...context, organizationId: ORG_B }, [
        { agent: 'trends', toolCallId: 'c1', metrics: [metric('theirs')] },
      ]);
      await writes.replaceForAnalysis(work, context, [
        { agent: 'trends', toolCallId: 'c1', metrics: [metric('ours')] },
      ]);
      expect(repository.rows.map((row) => [row.organizationId, row.name])).toEqual([
        [ORG_B, 'theirs'],
        [ORG_A, 'ours'],
      ]);
    });

    it('invalidates nothing until afterCommit, which also warms the most-read series', async () => {
      const { writes, reads, repository, warmer } = metricsServices();
      const series = { name: 'slope', interval: 'day' as const, agg: 'avg' as const, groups: 10 };
      const window = { from: '2026-02-01', to: '2026-03-01' };
      await reads.series(ORG_A, { ...series, ...window });
      const { names } = await writes.replaceForAnalysis(work, context, [
        { agent: 'trends', toolCallId: 'c1', metrics: [metric('slope')] },
      ]);
      await reads.series(ORG_A, { ...series, ...window });
      expect(repository.methods().filter((m) => m === 'series')).toHaveLength(1);
      await writes.afterCommit(ORG_A, names);
      await warmer.idle();
      // Warmed in the background, so the next reader finds it cached.
      expect(repository.methods().filter((m) => m === 'series')).toHaveLength(2);
      await reads.series(ORG_A, { ...series, ...window });
      expect(repository.methods().filter((m) => m === 'series')).toHaveLength(2);
    });
  });
});
