import type { ProblemException } from '@app/common';
import type { DatasetEntity } from '@app/datasets';
import { ListAnalysesQueryDto } from '../dtos/analysis.dto';
import {
  analysesServiceOver,
  analysisEntity,
  datasetOf,
  FakeAnalysisStore,
  FakeDatasets,
  ORG_A,
  ORG_B,
  testModel,
} from '../testing/fake-analyses';
import type { AnalysesService } from './analyses.service';
import { RunningAnalysesService } from './running-analyses.service';

const listQuery = (fields: Partial<ListAnalysesQueryDto>): ListAnalysesQueryDto =>
  Object.assign(new ListAnalysesQueryDto(), { limit: 20, ...fields });

describe('AnalysesService: reading, waiting for, cancelling and failing analyses', () => {
  let store: FakeAnalysisStore;
  let running: RunningAnalysesService;
  let service: AnalysesService;
  let own: DatasetEntity;

  beforeEach(() => {
    own = datasetOf(ORG_A);
    store = new FakeAnalysisStore();
    running = new RunningAnalysesService();
    service = analysesServiceOver(store, {
      running,
      datasets: new FakeDatasets([own, datasetOf(ORG_B)]),
      model: testModel('builtin-api'),
    });
  });

  const rejection = (promise: Promise<unknown>) => promise.catch((error: unknown) => error);

  describe('get, list and wait', () => {
    it("answers 404 for another organization's analysis, with the same words as a missing one", async () => {
      const foreign = analysisEntity(ORG_B);
      store.rows.push(foreign);
      const error = await rejection(service.get(ORG_A, foreign.id));
      expect(error).toMatchObject({ status: 404, slug: 'not-found' });
      expect((error as ProblemException).message).toBe(`There is no analysis ${foreign.id}`);
      await expect(service.get(ORG_B, foreign.id)).resolves.toMatchObject({ id: foreign.id });
      expect(store.calls.map((call) => call.organizationId)).toEqual([ORG_A, ORG_B]);
    });

    it("lists the organization's analyses with the filter, the dataset id lower-cased", async () => {
      const mine = analysisEntity(ORG_A, { status: 'succeeded', datasetId: own.id });
      store.rows.push(
        mine,
        analysisEntity(ORG_A, { status: 'failed', datasetId: own.id }),
        analysisEntity(ORG_B, { status: 'succeeded', datasetId: own.id }),
      );
      const page = await service.list(
        ORG_A,
        listQuery({ status: 'succeeded', datasetId: own.id.toUpperCase() }),
      );
      expect(page).toEqual({
        data: [expect.objectContaining({ id: mine.id, status: 'succeeded' })],
        nextCursor: null,
      });
      expect(store.calls).toEqual([{ method: 'list', organizationId: ORG_A }]);
    });

    it('refuses a cursor it did not issue with 400 invalid-cursor, before any read', async () => {
      await expect(service.list(ORG_A, listQuery({ cursor: 'nope' }))).rejects.toMatchObject({
        status: 400,
        slug: 'invalid-cursor',
      });
      expect(store.calls).toEqual([]);
    });

    it('waits no longer than asked, and not at all for a finished analysis', async () => {
      const done = analysisEntity(ORG_A, { status: 'succeeded' });
      const queued = analysisEntity(ORG_A, { status: 'queued' });
      store.rows.push(done, queued);
      await expect(service.wait(ORG_A, done.id, 60)).resolves.toMatchObject({ id: done.id });
      await expect(service.wait(ORG_A, queued.id, 0)).resolves.toMatchObject({
        status: 'queued',
      });
      await expect(service.wait(ORG_B, done.id, 0)).rejects.toMatchObject({ status: 404 });
    });
  });

  describe('cancel', () => {
    it('cancels a running analysis: status, abort of its run here, and a failed event', async () => {
      const analysis = analysisEntity(ORG_A, { status: 'running' });
      store.rows.push(analysis);
      const run = running.start(analysis.id);
      const cancelled = await service.cancel(ORG_A, analysis.id);
      expect(cancelled).toMatchObject({
        status: 'cancelled',
        error: 'cancelled',
        errorCode: 'cancelled',
        completedAt: expect.any(Date),
      });
      expect(run.signal.aborted).toBe(true);
      expect(store.events).toEqual([
        expect.objectContaining({
          organizationId: ORG_A,
          type: 'failed',
          data: { status: 'cancelled', error: 'cancelled', errorCode: 'cancelled' },
        }),
      ]);
    });

    it('answers 409 for a finished analysis: no abort, no event', async () => {
      const analysis = analysisEntity(ORG_A, { status: 'succeeded' });
      store.rows.push(analysis);
      const run = running.start(analysis.id);
      await expect(service.cancel(ORG_A, analysis.id)).rejects.toMatchObject({
        status: 409,
        slug: 'conflict',
        message: `Analysis ${analysis.id} is already succeeded`,
      });
      expect(run.signal.aborted).toBe(false);
      expect(store.events).toEqual([]);
    });

    it("answers 404 for another organization's analysis and leaves it running", async () => {
      const analysis = analysisEntity(ORG_B, { status: 'running' });
      store.rows.push(analysis);
      const run = running.start(analysis.id);
      await expect(service.cancel(ORG_A, analysis.id)).rejects.toMatchObject({ status: 404 });
      expect(store.own(ORG_B, analysis.id)?.status).toBe('running');
      expect(run.signal.aborted).toBe(false);
      expect(store.methods()).toEqual(['find']);
    });
  });

  describe('fail', () => {
    const failure = { code: 'worker-lost', message: 'its worker stopped' } as const;

    it('fails a running analysis with its code and a failed event', async () => {
      const analysis = analysisEntity(ORG_A, { status: 'running' });
      store.rows.push(analysis);
      await service.fail(ORG_A, analysis.id, failure);
      expect(store.own(ORG_A, analysis.id)).toMatchObject({
        status: 'failed',
        error: 'its worker stopped',
        errorCode: 'worker-lost',
        completedAt: expect.any(Date),
      });
      expect(store.events).toEqual([
        expect.objectContaining({
          type: 'failed',
          data: { status: 'failed', error: 'its worker stopped', errorCode: 'worker-lost' },
        }),
      ]);
    });

    it("changes nothing once it is no longer running, nor another organization's", async () => {
      const cancelled = analysisEntity(ORG_A, { status: 'cancelled' });
      const foreign = analysisEntity(ORG_B, { status: 'running' });
      store.rows.push(cancelled, foreign);
      await service.fail(ORG_A, cancelled.id, failure);
      await service.fail(ORG_A, foreign.id, failure);
      expect(store.own(ORG_A, cancelled.id)?.status).toBe('cancelled');
      expect(store.own(ORG_B, foreign.id)?.status).toBe('running');
      expect(store.events).toEqual([]);
    });
  });
});
