import { PageQueryDto, ProblemException } from '@app/common';
import {
  analystOf,
  datasetEntity,
  FakeAudit,
  FakeDatasetsRepository,
  ORG_A,
  ORG_B,
} from '../testing/fake-datasets';
import { DatasetsService } from './datasets.service';

function pageQuery(limit: number, cursor?: string): PageQueryDto {
  return Object.assign(new PageQueryDto(), { limit, cursor });
}

describe('DatasetsService', () => {
  const own = datasetEntity(ORG_A, { name: 'sales' });
  const others = datasetEntity(ORG_B, { name: 'secret' });
  let repository: FakeDatasetsRepository;
  let audit: FakeAudit;
  let service: DatasetsService;

  beforeEach(() => {
    repository = new FakeDatasetsRepository([own, others]);
    audit = new FakeAudit();
    service = new DatasetsService(repository.asRepository(), audit.asService());
  });

  describe('get', () => {
    it("answers the organization's own dataset", async () => {
      await expect(service.get(ORG_A, own.id)).resolves.toBe(own);
      expect(repository.calls).toEqual([{ method: 'find', organizationId: ORG_A }]);
    });

    it("answers 404 for another organization's dataset, as for one that does not exist", async () => {
      const foreign = await service.get(ORG_A, others.id).catch((error: unknown) => error);
      const missing = await service
        .get(ORG_A, '99999999-9999-4999-8999-999999999999')
        .catch((error: unknown) => error);
      expect(foreign).toBeInstanceOf(ProblemException);
      expect(foreign).toMatchObject({ status: 404, slug: 'not-found' });
      expect(missing).toMatchObject({ status: 404, slug: 'not-found' });
      // Never 403: that would tell the caller the dataset exists elsewhere.
      expect((foreign as ProblemException).message).toBe(`There is no dataset ${others.id}`);
    });
  });

  it("finds null, not a 404, for another organization's dataset (other modules decide)", async () => {
    await expect(service.find(ORG_A, others.id)).resolves.toBeNull();
    await expect(service.find(ORG_B, others.id)).resolves.toBe(others);
  });

  it('says which ids are datasets of the organization only', async () => {
    const ids = await service.existingIds(ORG_A, [own.id, others.id, 'nope']);
    expect(ids).toEqual(new Set([own.id]));
    expect(repository.calls).toEqual([{ method: 'existingIds', organizationId: ORG_A }]);
  });

  describe('list', () => {
    it("pages the organization's datasets newest first, without their profiles", async () => {
      const older = datasetEntity(ORG_A, { createdAt: new Date(Date.UTC(2025, 0, 1)) });
      repository.rows.push(older);
      const first = await service.list(ORG_A, pageQuery(1));
      expect(first.data.map((dataset) => dataset.id)).toEqual([own.id]);
      expect(first.data[0]).not.toHaveProperty('profile');
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = await service.list(ORG_A, pageQuery(1, first.nextCursor ?? undefined));
      expect(second).toEqual({
        data: [expect.objectContaining({ id: older.id })],
        nextCursor: null,
      });
      expect(repository.calls.map((call) => call.organizationId)).toEqual([ORG_A, ORG_A]);
    });

    it('refuses a cursor it did not issue with 400 invalid-cursor, before any read', async () => {
      await expect(service.list(ORG_A, pageQuery(10, 'not-a-cursor'))).rejects.toMatchObject({
        status: 400,
        slug: 'invalid-cursor',
      });
      expect(repository.calls).toEqual([]);
    });
  });

  describe('delete', () => {
    it('deletes the dataset of the caller and audits it with its name', async () => {
      const meta = { ip: '203.0.113.7', userAgent: 'test', requestId: 'req-1' };
      await service.delete(analystOf(ORG_A), own.id, meta);
      expect(repository.rows).not.toContain(own);
      expect(repository.calls).toEqual([
        { method: 'find', organizationId: ORG_A },
        { method: 'delete', organizationId: ORG_A },
      ]);
      expect(audit.records).toEqual([
        {
          actor: analystOf(ORG_A),
          action: 'dataset.deleted',
          outcome: 'success',
          target: { type: 'dataset', id: own.id },
          meta,
          details: { name: 'sales' },
        },
      ]);
    });

    it("answers 404 for another organization's dataset and neither deletes nor audits", async () => {
      await expect(service.delete(analystOf(ORG_A), others.id)).rejects.toMatchObject({
        status: 404,
        slug: 'not-found',
      });
      expect(repository.rows).toContain(others);
      expect(repository.calls.map((call) => call.method)).toEqual(['find']);
      expect(audit.records).toEqual([]);
    });

    it('answers 404 without an audit record when a concurrent delete removed it first', async () => {
      repository.deleteLoses = true;
      await expect(service.delete(analystOf(ORG_A), own.id)).rejects.toMatchObject({
        status: 404,
      });
      expect(audit.records).toEqual([]);
    });
  });
});
