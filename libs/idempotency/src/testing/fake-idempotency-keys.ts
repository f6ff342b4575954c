import { type OrganizationId, organizationIdOf } from '@app/tenancy';
import type { IdempotencyState } from '../entities/idempotency-key.entity';
import type {
  IdempotencyKeysRepository,
  StoredIdempotencyKey,
} from '../repositories/idempotency-keys.repository';

export const ORG_A = organizationIdOf('11111111-1111-4111-8111-111111111111');
export const ORG_B = organizationIdOf('22222222-2222-4222-8222-222222222222');

interface Row {
  requestHash: string;
  state: IdempotencyState;
  responseStatus: number | null;
  responseBody: unknown;
  /** How old the row is, as the database's clock would tell. */
  ageSeconds: number;
}

/**
 * IdempotencyKeysRepository in memory: one row per organization and key, ages set by the
 * test. Records which organization each call names.
 */
export class FakeIdempotencyKeysRepository {
  readonly rows = new Map<string, Row>();
  readonly calls: Array<{ method: string; organizationId: OrganizationId }> = [];
  /** Inserts that lose to a concurrent request regardless (a key taken meanwhile). */
  insertsLost = 0;

  row(organizationId: OrganizationId, key: string): Row | undefined {
    return this.rows.get(`${organizationId}|${key}`);
  }

  put(organizationId: OrganizationId, key: string, row: Partial<Row> = {}): void {
    this.rows.set(`${organizationId}|${key}`, {
      requestHash: 'hash',
      state: 'in_progress',
      responseStatus: null,
      responseBody: null,
      ageSeconds: 0,
      ...row,
    });
  }

  insertInProgress(
    organizationId: OrganizationId,
    key: string,
    requestHash: string,
  ): Promise<boolean> {
    this.calls.push({ method: 'insertInProgress', organizationId });
    if (this.insertsLost > 0) {
      this.insertsLost -= 1;
      return Promise.resolve(false);
    }
    if (this.row(organizationId, key) !== undefined) return Promise.resolve(false);
    this.put(organizationId, key, { requestHash });
    return Promise.resolve(true);
  }

  find(
    organizationId: OrganizationId,
    key: string,
    ages: { ttlSeconds: number; abandonedAfterSeconds: number },
  ): Promise<StoredIdempotencyKey | undefined> {
    this.calls.push({ method: 'find', organizationId });
    const row = this.row(organizationId, key);
    if (row === undefined) return Promise.resolve(undefined);
    const { ageSeconds, ...stored } = row;
    return Promise.resolve({
      ...stored,
      expired: ageSeconds > ages.ttlSeconds,
      abandoned: ageSeconds > ages.abandonedAfterSeconds,
    });
  }

  markDone(
    organizationId: OrganizationId,
    key: string,
    response: { status: number; body: unknown; requestHash?: string },
  ): Promise<void> {
    this.calls.push({ method: 'markDone', organizationId });
    const row = this.row(organizationId, key);
    if (row !== undefined)
      Object.assign(row, {
        state: 'done',
        responseStatus: response.status,
        responseBody: JSON.parse(JSON.stringify(response.body)) as unknown,
        requestHash: response.requestHash ?? row.requestHash,
      });
    return Promise.resolve();
  }

  delete(organizationId: OrganizationId, key: string): Promise<void> {
    this.calls.push({ method: 'delete', organizationId });
    this.rows.delete(`${organizationId}|${key}`);
    return Promise.resolve();
  }

  deleteOlderThan(ttlSeconds: number): Promise<number> {
    let deleted = 0;
    for (const [id, row] of this.rows)
      if (row.ageSeconds > ttlSeconds) deleted += Number(this.rows.delete(id));
    return Promise.resolve(deleted);
  }

  asRepository(): IdempotencyKeysRepository {
    return this as unknown as IdempotencyKeysRepository;
  }
}
