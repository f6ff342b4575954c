import { type OrganizationId } from '@app/tenancy';
import type { SchedulerRegistry } from '@nestjs/schedule';
import { RunningAnalysesService } from '../services/running-analyses.service';
import {
  analysisConfig,
  analysesServiceOver,
  analysisEntity,
  FakeAnalysisStore,
  FakeJobQueue,
  ORG_A,
  ORG_B,
} from '../testing/fake-analyses';
import { StaleAnalysesJob } from './stale-analyses.job';

describe('StaleAnalysesJob.reapStale', () => {
  let store: FakeAnalysisStore;
  let jobs: FakeJobQueue;
  let running: RunningAnalysesService;
  let reaper: StaleAnalysesJob;

  beforeEach(() => {
    store = new FakeAnalysisStore();
    jobs = new FakeJobQueue();
    running = new RunningAnalysesService();
    const config = analysisConfig();
    const service = analysesServiceOver(store, { jobs, running, config });
    reaper = new StaleAnalysesJob(
      jobs.asQueue(),
      store.asAnalyses(),
      service,
      running,
      config,
      {} as SchedulerRegistry,
    );
  });

  const silentFor = (organizationId: OrganizationId, minutes: number) => {
    const analysis = analysisEntity(organizationId, {
      status: 'running',
      heartbeatAt: new Date(Date.now() - minutes * 60_000),
    });
    store.rows.push(analysis);
    return analysis;
  };

  it('fails the active job of a silent run so the queue retries it; the analysis stays', async () => {
    const analysis = silentFor(ORG_A, 5);
    jobs.jobs.set(analysis.id, [{ id: 'job-1', state: 'active' }]);
    await reaper.reapStale();
    expect(jobs.failed).toEqual(['job-1']);
    expect(store.own(ORG_A, analysis.id)?.status).toBe('running');
  });

  it('fails the analysis as worker-lost, in its own organization, when no retry is left', async () => {
    const mine = silentFor(ORG_A, 5);
    const theirs = silentFor(ORG_B, 5);
    await reaper.reapStale();
    for (const [organizationId, analysis] of [
      [ORG_A, mine],
      [ORG_B, theirs],
    ] as const) {
      expect(store.own(organizationId, analysis.id)).toMatchObject({
        status: 'failed',
        errorCode: 'worker-lost',
      });
    }
    const claims = store.calls.filter((call) => call.method === 'claimStale');
    expect(claims.map((call) => call.organizationId)).toEqual([ORG_A, ORG_B]);
  });

  it('leaves a run this process holds, one with a retry queued, and one still beating', async () => {
    const here = silentFor(ORG_A, 5);
    running.start(here.id);
    const retried = silentFor(ORG_A, 5);
    jobs.jobs.set(retried.id, [{ id: 'job-2', state: 'retry' }]);
    const alive = silentFor(ORG_A, 0);
    await reaper.reapStale();
    for (const analysis of [here, retried, alive])
      expect(store.own(ORG_A, analysis.id)?.status).toBe('running');
    expect(jobs.failed).toEqual([]);
    expect(store.events).toEqual([]);
  });
});
