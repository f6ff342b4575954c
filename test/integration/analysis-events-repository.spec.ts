import { type OrganizationId } from '@app/tenancy';
import { Client, type Notification } from 'pg';
import { AnalysisEventEntity } from '../../libs/analysis/src/entities/analysis-event.entity';
import {
  ANALYSIS_EVENTS_CHANNEL,
  AnalysisEventsRepository,
} from '../../libs/analysis/src/repositories/analysis-events.repository';
import { AnalysesRepository } from '../../libs/analysis/src/repositories/analyses.repository';
import { AnalysisEntity } from '../../libs/analysis/src/entities/analysis.entity';
import { until } from '../support/poll';
import { repositoryDatabase, type RepositoryDatabase } from '../support/repository-database';

describe('AnalysisEventsRepository (real PostgreSQL)', () => {
  let db: RepositoryDatabase;
  let repository: AnalysisEventsRepository;
  let org: OrganizationId;
  let other: OrganizationId;
  let listener: Client;
  const heard: string[] = [];

  beforeAll(async () => {
    db = await repositoryDatabase();
    repository = new AnalysisEventsRepository(db.dataSource.getRepository(AnalysisEventEntity));
    [org, other] = await Promise.all([db.factory.newOrganization(), db.factory.newOrganization()]);
    listener = new Client({ connectionString: db.database.url });
    await listener.connect();
    listener.on('notification', (message: Notification) => heard.push(message.payload ?? ''));
    await listener.query(`LISTEN ${ANALYSIS_EVENTS_CHANNEL}`);
  });
  afterAll(async () => {
    await listener.end();
    await db.close();
  });

  const typesOf = (events: AnalysisEventEntity[]) => events.map((event) => event.type);

  it('appends in order and notifies the channel with the analysis id', async () => {
    const analysis = await db.factory.newAnalysis(org);
    await repository.append(org, analysis.id, 'status', { status: 'queued' });
    await repository.append(org, analysis.id, 'agent.started', { agent: 'profile' });
    const events = await repository.after(org, analysis.id, '0');
    expect(events.map(({ type, data, analysisId }) => ({ type, data, analysisId }))).toEqual([
      { type: 'status', data: { status: 'queued' }, analysisId: analysis.id },
      { type: 'agent.started', data: { agent: 'profile' }, analysisId: analysis.id },
    ]);
    await until('both notifications', () =>
      heard.filter((id) => id === analysis.id).length === 2 ? true : undefined,
    );
  });

  it("appends nothing, and notifies nothing, for another organization's analysis", async () => {
    const analysis = await db.factory.newAnalysis(org);
    await repository.append(other, analysis.id, 'failed', { status: 'cancelled' });
    // A marker appended after it: once it is heard, the refused append would have been too.
    const marker = await db.factory.newAnalysis(org, {}, [{ type: 'status' }]);
    await until('the marker', () => (heard.includes(marker.id) ? true : undefined));
    expect(heard).not.toContain(analysis.id);
    await expect(repository.after(org, analysis.id, '0')).resolves.toEqual([]);
  });

  it("appends in the caller's transaction: nothing when it rolls back", async () => {
    const analysis = await db.factory.newAnalysis(org);
    const analyses = new AnalysesRepository(db.dataSource.getRepository(AnalysisEntity));
    await analyses
      .inTransaction(async (work) => {
        await repository.append(org, analysis.id, 'completed', {}, work);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await expect(repository.lastId(org, analysis.id)).resolves.toBe('0');
  });

  it("reads after an id, oldest first, and nothing of another organization's analysis", async () => {
    const analysis = await db.factory.newAnalysis(org, {}, [
      { type: 'status', data: { status: 'queued' } },
      { type: 'status', data: { status: 'running' } },
      { type: 'completed', data: { status: 'succeeded' } },
    ]);
    const all = await repository.after(org, analysis.id, '0');
    expect(typesOf(all)).toEqual(['status', 'status', 'completed']);
    const rest = await repository.after(org, analysis.id, all[0]?.id ?? '');
    expect(rest.map((event) => event.id)).toEqual([all[1]?.id, all[2]?.id]);
    await expect(repository.after(other, analysis.id, '0')).resolves.toEqual([]);
  });

  it("answers the newest event's id, '0' without events or for another organization", async () => {
    const quiet = await db.factory.newAnalysis(org);
    await expect(repository.lastId(org, quiet.id)).resolves.toBe('0');
    const busy = await db.factory.newAnalysis(org, {}, [{ type: 'status' }, { type: 'completed' }]);
    const events = await repository.after(org, busy.id, '0');
    await expect(repository.lastId(org, busy.id)).resolves.toBe(events[1]?.id);
    await expect(repository.lastId(other, busy.id)).resolves.toBe('0');
  });
});
