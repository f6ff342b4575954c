import { type OrganizationId } from '@app/tenancy';
import { Logger } from '@nestjs/common';
import { ListAuditEventsQueryDto } from '../dtos/audit-event.dto';
import { FakeAuditEventsRepository, ORG_A, ORG_B } from '../testing/fake-audit-events';
import { AuditService } from './audit.service';

const query = (fields: Partial<ListAuditEventsQueryDto>): ListAuditEventsQueryDto =>
  Object.assign(new ListAuditEventsQueryDto(), { limit: 10 }, fields);

describe('AuditService', () => {
  let events: FakeAuditEventsRepository;
  let service: AuditService;

  beforeEach(() => {
    events = new FakeAuditEventsRepository();
    service = new AuditService(events.asRepository());
  });

  it("records the actor's organization, the target and the request's origin", async () => {
    await service.record({
      actor: { kind: 'apiKey', id: 'key-1', organizationId: ORG_A },
      action: 'api-key.revoked',
      outcome: 'success',
      target: { type: 'api-key', id: 'key-2' },
      meta: { ip: '203.0.113.7', userAgent: 'curl', requestId: 'req-9' },
      details: { reason: 'rotation' },
    });
    expect(events.rows).toEqual([
      expect.objectContaining({
        organizationId: ORG_A,
        actorKind: 'apiKey',
        actorId: 'key-1',
        action: 'api-key.revoked',
        outcome: 'success',
        targetType: 'api-key',
        targetId: 'key-2',
        ip: '203.0.113.7',
        userAgent: 'curl',
        requestId: 'req-9',
        details: { reason: 'rotation' },
      }),
    ]);
  });

  it('records an anonymous failure without organization, target or request', async () => {
    await service.record({
      actor: { kind: 'anonymous', id: null, organizationId: null },
      action: 'auth.login',
      outcome: 'failure',
    });
    expect(events.rows[0]).toMatchObject({
      organizationId: null,
      targetType: null,
      targetId: null,
      ip: null,
      userAgent: null,
      requestId: null,
      details: {},
    });
  });

  it('logs a failed write and never fails the action it describes', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    events.insertFails = new Error('database down');
    await expect(
      service.record({
        actor: { kind: 'system', id: 'cli', organizationId: ORG_A },
        action: 'user.created',
        outcome: 'success',
      }),
    ).resolves.toBeUndefined();
    expect(logged).toHaveBeenCalledWith(
      expect.objectContaining({ action: 'user.created' }),
      'Could not write an audit event',
    );
    logged.mockRestore();
  });

  it("lists the organization's events only, with the filter passed on, newest first", async () => {
    const record = (organizationId: OrganizationId, action: string) =>
      service.record({
        actor: { kind: 'user', id: 'u', organizationId },
        action,
        outcome: 'success',
      });
    await record(ORG_A, 'user.created');
    await record(ORG_B, 'user.created');
    await record(ORG_A, 'user.deleted');
    const from = new Date(Date.UTC(2025, 0, 1));
    const page = await service.list(ORG_A, query({ from }));
    expect(page.data.map((event) => event.action)).toEqual(['user.deleted', 'user.created']);
    expect(events.listed).toEqual([
      { organizationId: ORG_A, filter: { action: undefined, from, to: undefined } },
    ]);
    const first = await service.list(ORG_A, query({ limit: 1 }));
    const rest = await service.list(ORG_A, query({ limit: 1, cursor: first.nextCursor ?? '' }));
    expect(rest).toMatchObject({ data: [{ action: 'user.created' }], nextCursor: null });
  });
});
