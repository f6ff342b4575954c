/** What a key answers: run the request (the first time), or repeat the stored response. */
export type IdempotencyOutcome =
  { kind: 'first' } | { kind: 'replay'; status: number; body: unknown };

/**
 * Where `Idempotency-Key`s and their first responses are kept (IdempotencyService in
 * libs/idempotency, on PostgreSQL). A class, to serve as the injection token: any feature
 * module's `@Idempotent()` route gets it from the global IdempotencyModule, and this lib
 * need not depend on the one that stores keys.
 */
export abstract class IdempotencyStore {
  /**
   * The first use of `key` (stored as in progress), or the response to replay; a 409
   * problem when the key was used with another request or its first is still running.
   */
  abstract begin(
    organizationId: string,
    key: string,
    requestHash: string,
  ): Promise<IdempotencyOutcome>;

  /** The first request succeeded: its response is what a repeat gets. */
  abstract complete(
    organizationId: string,
    key: string,
    status: number,
    body: unknown,
  ): Promise<void>;

  /** The first request failed: forget the key, so a corrected retry may use it. */
  abstract release(organizationId: string, key: string): Promise<void>;
}
