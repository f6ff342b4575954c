import type { DatasetEntity } from '@app/datasets';
import type { MetricsService } from '@app/metrics';
import type { QuestionAnsweringService } from '@app/questions';
import {
  type AgentRun,
  type AnalysisOutcome,
  type AnalysisRequest,
  runAnalysis,
} from '../orchestration/orchestrator';
import { DatasetScansRepository } from '../repositories/dataset-scans.repository';
import { SeriesScansRepository } from '../repositories/series-scans.repository';
import type { ToolQueryRepository } from '../repositories/tool-query.repository';
import { RunningAnalysesService } from '../services/running-analyses.service';
import {
  analysisConfig,
  analysesServiceOver,
  analysisEntity,
  datasetOf,
  FakeAnalysisStore,
  FakeDatasets,
  FakeJobQueue,
  ORG_A,
  ORG_B,
  testModel,
} from '../testing/fake-analyses';
import { AnalysisRunJob } from './analysis-run.job';

// The agents are the orchestrator's to test: here it answers what each test sets.
jest.mock('../orchestration/orchestrator', () => ({
  ...jest.requireActual<object>('../orchestration/orchestrator'),
  runAnalysis: jest.fn(),
}));
const orchestrate = jest.mocked(runAnalysis);

const agentRun = (agent: AgentRun['agent'], status: AgentRun['status']): AgentRun => ({
  agent,
  status,
  startedAt: '2026-01-01T00:00:00.000Z',
  endedAt: '2026-01-01T00:00:01.000Z',
  durationMs: 1000,
  usage: { requests: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0 },
  ...(status === 'failed' ? { error: 'it broke', errorCode: 'model-error' as const } : {}),
});

const outcomeOf = (agents: AgentRun[]): AnalysisOutcome => ({
  agents,
  results: { failed: [] },
  summary: undefined,
  injections: [],
  recorded: [
    {
      agent: 'profile',
      toolCallId: 'call_1',
      metrics: [{ name: 'rows_seen', value: 2, dimensions: {} }],
    },
  ],
});

/** MetricsService's analysis writes, recording the transaction and organization of each. */
class FakeMetrics {
  readonly replaced: Array<{ work: unknown; organizationId: string; analysisId: string }> = [];
  readonly committed: Array<{ organizationId: string; names: string[] }> = [];

  replaceForAnalysis(
    work: unknown,
    context: { organizationId: string; analysisId: string },
    groups: Array<{ metrics: Array<{ name: string }> }>,
  ) {
    this.replaced.push({ work, ...context });
    const names = groups.flatMap((group) => group.metrics.map((metric) => metric.name));
    return Promise.resolve({ ids: names.map((_, i) => `metric-${i}`), names });
  }

  afterCommit(organizationId: string, names: string[]) {
    this.committed.push({ organizationId, names });
    return Promise.resolve();
  }
}

describe('AnalysisRunJob', () => {
  let store: FakeAnalysisStore;
  let datasets: FakeDatasets;
  let metrics: FakeMetrics;
  let running: RunningAnalysesService;
  let answered: Array<{ organizationId: string; datasetId: string; readers: unknown }>;
  let toolQueries: Array<{ timeoutMs: number }>;
  let job: AnalysisRunJob;
  let dataset: DatasetEntity;

  beforeEach(() => {
    orchestrate.mockReset();
    dataset = datasetOf(ORG_A);
    store = new FakeAnalysisStore();
    datasets = new FakeDatasets([dataset, datasetOf(ORG_B)]);
    metrics = new FakeMetrics();
    running = new RunningAnalysesService();
    answered = [];
    toolQueries = [];
    // The shortest stale period there is (2 s): a heartbeat every 500 ms.
    const config = analysisConfig({ ANALYSIS_STALE_SECONDS: '2' });
    const service = analysesServiceOver(store, { running, datasets, config });
    job = new AnalysisRunJob(
      new FakeJobQueue().asQueue(),
      store.asAnalyses(),
      store.asEvents(),
      {
        readOnly: (timeoutMs: number) => {
          toolQueries.push({ timeoutMs });
          return () => Promise.resolve([]);
        },
      } as unknown as ToolQueryRepository,
      running,
      service,
      datasets.asService(),
      metrics as unknown as MetricsService,
      testModel('builtin-worker'),
      config,
      {
        answer: (
          organizationId: string,
          asked: DatasetEntity,
          _text: string,
          options: { readers?: unknown },
        ) => {
          answered.push({ organizationId, datasetId: asked.id, readers: options.readers });
          return Promise.resolve({ kind: 'refused', reason: 'no', notUnderstood: [] });
        },
      } as unknown as QuestionAnsweringService,
    );
  });

  const queued = (fields: Parameters<typeof analysisEntity>[1] = {}) => {
    const analysis = analysisEntity(ORG_A, {
      input: { kind: 'dataset', datasetId: dataset.id },
      datasetId: dataset.id,
      ...fields,
    });
    store.rows.push(analysis);
    return analysis;
  };
  const payload = (analysisId: string, organizationId = ORG_A) => ({ organizationId, analysisId });
  const request = (): AnalysisRequest => {
    const [call] = orchestrate.mock.calls;
    if (call === undefined) throw new Error('the orchestrator was not called');
    return call[0];
  };

  describe('start', () => {
    it('marks it running with the model of this process, then runs it on its dataset', async () => {
      const analysis = queued({ question: 'why?', maxAnomalies: 4, agents: ['profile'] });
      orchestrate.mockImplementation(() => {
        expect(store.own(ORG_A, analysis.id)).toMatchObject({
          status: 'running',
          modelName: 'builtin-worker',
          startedAt: expect.any(Date),
          heartbeatAt: expect.any(Date),
        });
        expect(running.has(analysis.id)).toBe(true);
        return Promise.resolve(outcomeOf([agentRun('profile', 'succeeded')]));
      });
      await job.run(payload(analysis.id));
      expect(request()).toMatchObject({
        model: 'builtin-worker',
        brief: { datasetId: dataset.id, question: 'why?', maxAnomalies: 4 },
        context: {
          organizationId: ORG_A,
          dataset,
          maxAnomalies: 4,
          scans: expect.any(DatasetScansRepository),
          series: expect.any(SeriesScansRepository),
        },
        agents: ['profile'],
        analysisId: analysis.id,
      });
      expect(datasets.asked).toEqual([{ method: 'find', organizationId: ORG_A, id: dataset.id }]);
      expect(toolQueries).toEqual([{ timeoutMs: 30_000 }]);
      expect(running.has(analysis.id)).toBe(false);
    });

    it.each(['succeeded', 'failed', 'cancelled'] as const)(
      'does not run an analysis already %s',
      async (status) => {
        const analysis = queued({ status });
        await job.run(payload(analysis.id));
        expect(orchestrate).not.toHaveBeenCalled();
        expect(store.events).toEqual([]);
      },
    );

    it("does not run another organization's analysis named in a payload", async () => {
      const foreign = analysisEntity(ORG_B);
      store.rows.push(foreign);
      await job.run(payload(foreign.id, ORG_A));
      expect(orchestrate).not.toHaveBeenCalled();
      expect(store.own(ORG_B, foreign.id)?.status).toBe('queued');
      expect(store.calls).toEqual([{ method: 'find', organizationId: ORG_A }]);
    });

    it("answers the analysis' question with the builtin reader, in its organization", async () => {
      const analysis = queued({ question: 'how many?' });
      orchestrate.mockImplementation(async (given) => {
        await given.answerQuestion?.('how many?', new AbortController().signal);
        return outcomeOf([]);
      });
      await job.run(payload(analysis.id));
      expect(answered).toEqual([
        { organizationId: ORG_A, datasetId: dataset.id, readers: 'builtin' },
      ]);
    });
  });

  describe('store outcome', () => {
    it('stores result, runs, metrics and the completed event in one transaction', async () => {
      const analysis = queued();
      orchestrate.mockImplementation(({ onEvent }) => {
        onEvent?.({ type: 'agent.started', agent: 'profile' });
        onEvent?.({ type: 'agent.finished', run: agentRun('profile', 'succeeded') });
        return Promise.resolve(outcomeOf([agentRun('profile', 'succeeded')]));
      });
      await job.run(payload(analysis.id));
      const stored = store.own(ORG_A, analysis.id);
      expect(stored).toMatchObject({
        status: 'succeeded',
        error: null,
        errorCode: null,
        completedAt: expect.any(Date),
        agentRuns: [expect.objectContaining({ agent: 'profile', status: 'succeeded' })],
        result: expect.objectContaining({ metrics: ['metric-0'] }),
      });
      const [unit] = store.units;
      expect(unit?.outcome).toBe('committed');
      expect(metrics.replaced).toEqual([
        { work: unit, organizationId: ORG_A, analysisId: analysis.id, createdBy: 'key-1' },
      ]);
      expect(metrics.committed).toEqual([{ organizationId: ORG_A, names: ['rows_seen'] }]);
      expect(store.eventTypes(analysis.id)).toEqual([
        'status',
        'agent.started',
        'agent.finished',
        'completed',
      ]);
      expect(store.events.at(-1)).toMatchObject({ work: unit, data: { status: 'succeeded' } });
      expect(store.events[2]?.data).toEqual({
        agent: 'profile',
        status: 'succeeded',
        durationMs: 1000,
      });
    });

    it('fails the analysis when every agent failed', async () => {
      const analysis = queued();
      orchestrate.mockResolvedValue(outcomeOf([agentRun('profile', 'failed')]));
      await job.run(payload(analysis.id));
      expect(store.own(ORG_A, analysis.id)).toMatchObject({
        status: 'failed',
        errorCode: 'agents-failed',
        error: 'every agent failed',
      });
      expect(store.events.at(-1)?.data).toEqual({
        status: 'failed',
        error: 'every agent failed',
        errorCode: 'agents-failed',
      });
    });

    it('keeps nothing when it was cancelled while it ran (no metrics, no completed event)', async () => {
      const analysis = queued();
      orchestrate.mockImplementation(() => {
        Object.assign(store.own(ORG_A, analysis.id) ?? {}, { status: 'cancelled' });
        return Promise.resolve(outcomeOf([agentRun('profile', 'succeeded')]));
      });
      await job.run(payload(analysis.id));
      expect(store.units[0]?.outcome).toBe('rolled back');
      expect(store.own(ORG_A, analysis.id)?.status).toBe('cancelled');
      expect(metrics.committed).toEqual([]);
      expect(store.eventTypes(analysis.id)).toEqual(['status']);
    });
  });

  describe('failure', () => {
    it('fails it with a code of ours when the dataset is gone', async () => {
      const analysis = queued();
      datasets.rows.splice(0, datasets.rows.length);
      await job.run(payload(analysis.id));
      expect(orchestrate).not.toHaveBeenCalled();
      expect(store.own(ORG_A, analysis.id)).toMatchObject({
        status: 'failed',
        errorCode: 'dataset-unavailable',
        error: 'the dataset no longer exists',
      });
      expect(store.eventTypes(analysis.id)).toEqual(['status', 'failed']);
      expect(running.has(analysis.id)).toBe(false);
    });

    it('hands a transient database error back to the queue while retries are left', async () => {
      const analysis = queued();
      const lost = Object.assign(new Error('connection lost'), { code: '08006' });
      orchestrate.mockRejectedValue(lost);
      await expect(job.run(payload(analysis.id), 1)).rejects.toBe(lost);
      expect(store.own(ORG_A, analysis.id)?.status).toBe('running');

      await job.run(payload(analysis.id), 0);
      expect(store.own(ORG_A, analysis.id)).toMatchObject({ status: 'failed' });
    });

    it('fails it, without the driver message, on any other error', async () => {
      const analysis = queued();
      orchestrate.mockRejectedValue(new Error('password authentication failed for "secret"'));
      await job.run(payload(analysis.id), 2);
      const failed = store.own(ORG_A, analysis.id);
      expect(failed?.status).toBe('failed');
      expect(failed?.error).not.toContain('secret');
    });
  });

  describe('heartbeat', () => {
    it("beats for the analysis' organization while it runs, and aborts it once cancelled", async () => {
      const analysis = queued();
      orchestrate.mockImplementation(
        ({ signal }) =>
          new Promise((_resolve, reject) => {
            signal?.addEventListener('abort', () => reject(signal.reason as Error));
            // Cancelled from another process: only the heartbeat can tell this one.
            Object.assign(store.own(ORG_A, analysis.id) ?? {}, { status: 'cancelled' });
          }),
      );
      const started = Date.now();
      await job.run(payload(analysis.id));
      expect(Date.now() - started).toBeLessThan(5000);
      expect(store.calls).toContainEqual({ method: 'heartbeat', organizationId: ORG_A });
      expect(store.calls.every((call) => call.organizationId === ORG_A)).toBe(true);
      expect(running.has(analysis.id)).toBe(false);
      // The cancel wrote its own status and event: the aborted run adds no failure.
      expect(store.own(ORG_A, analysis.id)?.status).toBe('cancelled');
      expect(store.eventTypes(analysis.id)).toEqual(['status']);
    });

    it('aborts at once when this process cancels it', async () => {
      const analysis = queued();
      let aborted = false;
      orchestrate.mockImplementation(
        ({ signal }) =>
          new Promise((_resolve, reject) => {
            signal?.addEventListener('abort', () => {
              aborted = true;
              reject(new Error('cancelled'));
            });
            // As AnalysesService.cancel does: the status first, then the run here.
            Object.assign(store.own(ORG_A, analysis.id) ?? {}, { status: 'cancelled' });
            running.abort(analysis.id);
          }),
      );
      await job.run(payload(analysis.id));
      expect(aborted).toBe(true);
      expect(store.calls.map((call) => call.method)).not.toContain('heartbeat');
      expect(store.own(ORG_A, analysis.id)?.status).toBe('cancelled');
      expect(store.eventTypes(analysis.id)).toEqual(['status']);
    });
  });
});
