import { loadConfig } from '@app/config';
import { FakeIdempotencyKeysRepository, ORG_A, ORG_B } from '../testing/fake-idempotency-keys';
import { IDEMPOTENCY_TTL_SECONDS, IdempotencyService } from './idempotency.service';

const config = (secret: string) =>
  loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET: secret });

describe('IdempotencyService', () => {
  const secret = 'a-test-secret-that-is-long-enough-for-hmac-0123456789';
  let keys: FakeIdempotencyKeysRepository;
  let service: IdempotencyService;

  beforeEach(() => {
    keys = new FakeIdempotencyKeysRepository();
    service = new IdempotencyService(keys.asRepository(), config(secret));
  });

  describe('begin', () => {
    it("takes a new key in the caller's organization", async () => {
      await expect(service.begin(ORG_A, 'k', 'h1')).resolves.toEqual({ kind: 'first' });
      expect(keys.row(ORG_A, 'k')).toMatchObject({ state: 'in_progress', requestHash: 'h1' });
      expect(keys.calls).toEqual([{ method: 'insertInProgress', organizationId: ORG_A }]);
    });

    it('replays the stored response to the same request, and the same key is new in another organization', async () => {
      await service.begin(ORG_A, 'k', 'h1');
      await service.complete(ORG_A, 'k', 201, { id: 'made' });
      await expect(service.begin(ORG_A, 'k', 'h1')).resolves.toEqual({
        kind: 'replay',
        status: 201,
        body: { id: 'made' },
      });
      await expect(service.begin(ORG_B, 'k', 'h1')).resolves.toEqual({ kind: 'first' });
    });

    it('stores the response sealed, not as sent', async () => {
      await service.begin(ORG_A, 'k', 'h1');
      await service.complete(ORG_A, 'k', 200, { secret: 'value' });
      expect(keys.row(ORG_A, 'k')?.responseBody).not.toEqual({ secret: 'value' });
    });

    it('answers 409 for the same key with another request, done or still running', async () => {
      await service.begin(ORG_A, 'k', 'h1');
      await expect(service.begin(ORG_A, 'k', 'h1')).rejects.toMatchObject({
        status: 409,
        slug: 'idempotency-key-in-progress',
      });
      await expect(service.begin(ORG_A, 'k', 'h2')).rejects.toMatchObject({
        status: 409,
        slug: 'idempotency-key-reused',
      });
      await service.complete(ORG_A, 'k', 200, {});
      await expect(service.begin(ORG_A, 'k', 'h2')).rejects.toMatchObject({
        slug: 'idempotency-key-reused',
      });
    });

    it('takes over a key past its 24 hours, and one whose first request died', async () => {
      keys.put(ORG_A, 'old', { state: 'done', ageSeconds: IDEMPOTENCY_TTL_SECONDS + 1 });
      keys.put(ORG_A, 'dead', { state: 'in_progress', ageSeconds: 601 });
      keys.put(ORG_A, 'slow', { state: 'in_progress', ageSeconds: 599 });
      await expect(service.begin(ORG_A, 'old', 'other')).resolves.toEqual({ kind: 'first' });
      await expect(service.begin(ORG_A, 'dead', 'hash')).resolves.toEqual({ kind: 'first' });
      expect(keys.row(ORG_A, 'dead')).toMatchObject({ ageSeconds: 0 });
      await expect(service.begin(ORG_A, 'slow', 'hash')).rejects.toMatchObject({
        slug: 'idempotency-key-in-progress',
      });
    });

    it('gives up with a 409 when the key stays contended', async () => {
      keys.insertsLost = 3;
      await expect(service.begin(ORG_A, 'k', 'h')).rejects.toMatchObject({
        status: 409,
        slug: 'idempotency-key-in-progress',
      });
      expect(keys.calls.filter((call) => call.method === 'insertInProgress')).toHaveLength(3);
    });

    it('replays a plain response stored before responses were sealed', async () => {
      keys.put(ORG_A, 'k', { state: 'done', responseStatus: null, responseBody: { old: true } });
      await expect(service.begin(ORG_A, 'k', 'hash')).resolves.toEqual({
        kind: 'replay',
        status: 200,
        body: { old: true },
      });
    });

    it("answers 409 when the server's secret changed since the response was sealed", async () => {
      await service.begin(ORG_A, 'k', 'h');
      await service.complete(ORG_A, 'k', 200, { id: 1 });
      const restarted = new IdempotencyService(
        keys.asRepository(),
        config('another-secret-that-is-long-enough-for-hmac-9876543210'),
      );
      await expect(restarted.begin(ORG_A, 'k', 'h')).rejects.toMatchObject({
        status: 409,
        slug: 'idempotency-key-unreadable',
      });
    });
  });

  describe('beginStreamed', () => {
    it('takes the key with no hash yet, and answers what to compare a repeat against', async () => {
      await expect(service.beginStreamed(ORG_A, 'up')).resolves.toEqual({ kind: 'first' });
      expect(keys.row(ORG_A, 'up')).toMatchObject({ requestHash: '' });
      await expect(service.beginStreamed(ORG_A, 'up')).rejects.toMatchObject({
        slug: 'idempotency-key-in-progress',
      });
      await service.complete(ORG_A, 'up', 201, { id: 'ds' }, 'body-hash');
      await expect(service.beginStreamed(ORG_A, 'up')).resolves.toEqual({
        kind: 'compare',
        requestHash: 'body-hash',
        status: 201,
        body: { id: 'ds' },
      });
    });
  });

  it('releases the key of a failed first request, so a corrected retry runs', async () => {
    await service.begin(ORG_A, 'k', 'h1');
    await service.release(ORG_A, 'k');
    expect(keys.calls.at(-1)).toEqual({ method: 'delete', organizationId: ORG_A });
    await expect(service.begin(ORG_A, 'k', 'h2')).resolves.toEqual({ kind: 'first' });
  });

  it('prunes the keys past their 24 hours, of every organization', async () => {
    keys.put(ORG_A, 'old', { ageSeconds: IDEMPOTENCY_TTL_SECONDS + 1 });
    keys.put(ORG_B, 'old', { ageSeconds: IDEMPOTENCY_TTL_SECONDS + 1 });
    keys.put(ORG_A, 'new', { ageSeconds: 10 });
    await expect(service.prune()).resolves.toBe(2);
    expect([...keys.rows.keys()]).toEqual([`${ORG_A}|new`]);
  });
});
