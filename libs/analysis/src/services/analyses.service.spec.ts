import { ProblemException, RequestValidationException } from '@app/common';
import type { DatasetEntity } from '@app/datasets';
import { CreateAnalysisDto } from '../dtos/analysis.dto';
import { AGENTS_SDK_VERSION } from '../orchestration/orchestrator';
import {
  analysesServiceOver,
  analystOf,
  datasetOf,
  FakeAnalysisStore,
  FakeDatasets,
  FakeJobQueue,
  FakeUploads,
  ORG_A,
  ORG_B,
  testModel,
} from '../testing/fake-analyses';
import { ANALYSIS_QUEUE, type AnalysesService } from './analyses.service';
import { RunningAnalysesService } from './running-analyses.service';

const body = (fields: Partial<CreateAnalysisDto>): CreateAnalysisDto =>
  Object.assign(new CreateAnalysisDto(), fields);

/** MetricSeriesInputService answering two records of any metric, recording who asked. */
class FakeMetricSeries {
  readonly asked: string[] = [];

  read(organizationId: string, request: { name: string }) {
    this.asked.push(organizationId);
    return Promise.resolve({
      records: [
        { time: '2026-01-01T00:00:00.000Z', [request.name]: 1 },
        { time: '2026-01-02T00:00:00.000Z', [request.name]: 2 },
      ],
      metric: {
        name: request.name,
        from: '2026-01-01T00:00:00.000Z',
        to: '2026-01-03T00:00:00.000Z',
        interval: 'day' as const,
        agg: 'avg' as const,
      },
    });
  }
}

describe('AnalysesService: creating and replaying analyses', () => {
  let store: FakeAnalysisStore;
  let jobs: FakeJobQueue;
  let running: RunningAnalysesService;
  let datasets: FakeDatasets;
  let uploads: FakeUploads;
  let metricSeries: FakeMetricSeries;
  let service: AnalysesService;
  let own: DatasetEntity;
  let others: DatasetEntity;

  beforeEach(() => {
    own = datasetOf(ORG_A);
    others = datasetOf(ORG_B);
    store = new FakeAnalysisStore();
    jobs = new FakeJobQueue();
    running = new RunningAnalysesService();
    datasets = new FakeDatasets([own, others]);
    uploads = new FakeUploads(datasets);
    metricSeries = new FakeMetricSeries();
    service = analysesServiceOver(store, {
      jobs,
      running,
      datasets,
      uploads,
      model: testModel('builtin-api'),
      metricSeries,
    });
  });

  const rejection = (promise: Promise<unknown>) => promise.catch((error: unknown) => error);

  describe('create', () => {
    it.each([
      ['nothing', {}],
      ['a datasetId and a text', { datasetId: 'x', text: 'two inputs' }],
    ])('refuses %s with a 400 naming datasetId, nothing stored', async (_case, fields) => {
      const error = await rejection(service.create(analystOf(ORG_A), body(fields)));
      expect(error).toBeInstanceOf(RequestValidationException);
      expect(error).toMatchObject({
        fieldErrors: [
          {
            field: 'datasetId',
            message: 'send exactly one of datasetId, records, text and metric',
          },
        ],
      });
      expect(store.rows).toEqual([]);
      expect(jobs.sent).toEqual([]);
    });

    it('inserts it queued, sends its job and its first event in that one transaction', async () => {
      const created = await service.create(
        analystOf(ORG_A),
        body({ text: 'lovely weather', agents: ['text'], question: 'mood?', maxAnomalies: 3 }),
      );
      expect(created).toMatchObject({
        organizationId: ORG_A,
        status: 'queued',
        input: { kind: 'text', text: 'lovely weather' },
        datasetId: null,
        agents: ['text'],
        question: 'mood?',
        maxAnomalies: 3,
        modelProvider: 'builtin',
        modelName: 'builtin-api',
        sdkVersion: AGENTS_SDK_VERSION,
        replayOf: null,
        createdBy: analystOf(ORG_A).id,
        inputHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      const [unit] = store.units;
      expect(store.units).toEqual([{ id: 1, outcome: 'committed' }]);
      expect(jobs.sent).toEqual([
        {
          work: unit,
          name: ANALYSIS_QUEUE,
          data: { organizationId: ORG_A, analysisId: created.id, traceContext: {} },
        },
      ]);
      expect(store.events).toEqual([
        {
          organizationId: ORG_A,
          analysisId: created.id,
          type: 'status',
          data: { status: 'queued' },
          work: unit,
        },
      ]);
      expect(store.calls.every((call) => call.organizationId === ORG_A)).toBe(true);
      expect(store.calls).toHaveLength(2);
    });

    it("looks the dataset up in the caller's organization, its id lower-cased", async () => {
      const created = await service.create(
        analystOf(ORG_A),
        body({ datasetId: own.id.toUpperCase() }),
      );
      expect(created.input).toEqual({ kind: 'dataset', datasetId: own.id });
      expect(created.datasetId).toBe(own.id);
      expect(datasets.asked).toEqual([{ method: 'get', organizationId: ORG_A, id: own.id }]);
    });

    it("answers 404 for another organization's dataset, as for a missing one: nothing queued", async () => {
      const error = await rejection(
        service.create(analystOf(ORG_A), body({ datasetId: others.id })),
      );
      expect(error).toBeInstanceOf(ProblemException);
      expect(error).toMatchObject({ status: 404, slug: 'not-found' });
      expect(store.rows).toEqual([]);
      expect(store.units).toEqual([]);
      expect(jobs.sent).toEqual([]);
    });

    it('stores records as a dataset in the same transaction, audited after it commits', async () => {
      const created = await service.create(
        analystOf(ORG_A),
        body({ records: [{ city: 'Oslo', n: 1 }, { city: 'Lima' }] }),
      );
      const [upload] = uploads.uploads;
      expect(upload).toEqual({
        work: store.units[0],
        name: `records of analysis ${created.id}`,
        csv: 'city,n\nOslo,1\nLima,\n',
        organizationId: ORG_A,
      });
      const dataset = datasets.rows.at(-1);
      expect(created.input).toEqual({ kind: 'records', datasetId: dataset?.id, records: 2 });
      expect(created.datasetId).toBe(dataset?.id);
      expect(uploads.audited).toEqual([{ organizationId: ORG_A, datasetId: dataset?.id }]);
    });

    it('refuses nested records by field, before anything is stored', async () => {
      const error = await rejection(
        service.create(analystOf(ORG_A), body({ records: [{ ok: 1 }, { tags: ['a'] }] })),
      );
      expect(error).toMatchObject({ fieldErrors: [{ field: 'records[1].tags' }] });
      expect(uploads.uploads).toEqual([]);
      expect(store.units).toEqual([]);
    });

    it("reads a metric's series for the caller's organization and stores it as records", async () => {
      const created = await service.create(analystOf(ORG_A), body({ metric: { name: 'orders' } }));
      expect(metricSeries.asked).toEqual([ORG_A]);
      expect(uploads.uploads[0]?.name).toBe(`metric orders of analysis ${created.id}`);
      expect(created.input).toMatchObject({
        kind: 'metric',
        records: 2,
        metric: { name: 'orders', interval: 'day', agg: 'avg' },
      });
    });

    it('hashes the input and options: the same request hashes alike, another question not', async () => {
      const a = await service.create(analystOf(ORG_A), body({ text: 'x', question: 'why?' }));
      const b = await service.create(analystOf(ORG_A), body({ text: 'x', question: 'why?' }));
      const c = await service.create(analystOf(ORG_A), body({ text: 'x', question: 'how?' }));
      const d = await service.create(
        analystOf(ORG_A),
        body({ text: 'x', question: 'why?', maxAnomalies: 20 }),
      );
      expect(a.inputHash).toBe(b.inputHash);
      expect(c.inputHash).not.toBe(a.inputHash);
      expect(d.inputHash).not.toBe(a.inputHash);
    });
  });

  describe('createBatch', () => {
    it('names every bad item by index and stores none of them', async () => {
      const error = await rejection(
        service.createBatch(analystOf(ORG_A), [
          body({ text: 'fine' }),
          body({}),
          body({ datasetId: others.id }),
        ]),
      );
      expect(error).toBeInstanceOf(RequestValidationException);
      expect(error).toHaveProperty('fieldErrors', [
        {
          field: 'items[1].datasetId',
          message: 'send exactly one of datasetId, records, text and metric',
        },
        { field: 'items[2]', message: `There is no dataset ${others.id}` },
      ]);
      expect(store.rows).toEqual([]);
      expect(jobs.sent).toEqual([]);
    });

    it('queues all in one transaction, in order, or none when one send fails', async () => {
      const items = [body({ text: 'one' }), body({ datasetId: own.id })];
      const created = await service.createBatch(analystOf(ORG_A), items);
      expect(created.map((analysis) => analysis.input.kind)).toEqual(['text', 'dataset']);
      expect(jobs.sent.map((job) => job.work)).toEqual([store.units[0], store.units[0]]);

      jobs.failSend = jobs.sent.length + 1;
      await expect(service.createBatch(analystOf(ORG_A), items)).rejects.toThrow('queue is down');
      expect(store.units[1]?.outcome).toBe('rolled back');
      expect(store.rows.map((row) => row.id)).toEqual(created.map((analysis) => analysis.id));
      expect(store.events).toHaveLength(2);
    });
  });

  describe('replay', () => {
    it('queues the same input and options, pointing at the original, with the same hash', async () => {
      const original = await service.create(
        analystOf(ORG_A),
        body({ datasetId: own.id, agents: ['profile'], question: 'why?', maxAnomalies: 5 }),
      );
      const replay = await service.replay(analystOf(ORG_A), original.id);
      expect(replay).toMatchObject({
        input: original.input,
        agents: ['profile'],
        question: 'why?',
        maxAnomalies: 5,
        inputHash: original.inputHash,
        replayOf: original.id,
      });
      expect(replay.id).not.toBe(original.id);
    });

    it('reads stored records again from their dataset, without storing them twice', async () => {
      const original = await service.create(analystOf(ORG_A), body({ records: [{ n: 1 }] }));
      const replay = await service.replay(analystOf(ORG_A), original.id);
      expect(replay.input).toEqual(original.input);
      expect(replay.inputHash).toBe(original.inputHash);
      expect(uploads.uploads).toHaveLength(1);
    });

    it("answers 404 for another organization's analysis, and for a deleted dataset", async () => {
      const original = await service.create(analystOf(ORG_A), body({ datasetId: own.id }));
      await expect(service.replay(analystOf(ORG_B), original.id)).rejects.toMatchObject({
        status: 404,
        message: `There is no analysis ${original.id}`,
      });
      datasets.rows.splice(datasets.rows.indexOf(own), 1);
      await expect(service.replay(analystOf(ORG_A), original.id)).rejects.toMatchObject({
        status: 404,
        message: `There is no dataset ${own.id}`,
      });
      expect(store.rows).toHaveLength(1);
    });
  });
});
