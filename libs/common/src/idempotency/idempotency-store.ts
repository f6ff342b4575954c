import { ProblemException } from '../errors/problem';

/** The 409 of a key used again with another request: every store and route answers this one. */
export function idempotencyKeyReused(): ProblemException {
  return new ProblemException(
    409,
    'idempotency-key-reused',
    'This Idempotency-Key was already used with a different request; use a new key',
  );
}

/** What a key answers: run the request (the first time), or repeat the stored response. */
export type IdempotencyOutcome =
  { kind: 'first' } | { kind: 'replay'; status: number; body: unknown };

/**
 * What a key answers a request whose body is streamed (an upload): run it, or compare its
 * body with the first request's (`requestHash`, known only once the body is read) and then
 * repeat the stored response.
 */
export type StreamedIdempotencyOutcome =
  { kind: 'first' } | { kind: 'compare'; requestHash: string; status: number; body: unknown };

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

  /**
   * {@link begin} for a streamed body: the key is taken without a request hash, and a key
   * already answered returns what to compare the repeat's body against. A 409 while the
   * first is still running.
   */
  abstract beginStreamed(organizationId: string, key: string): Promise<StreamedIdempotencyOutcome>;

  /**
   * The first request succeeded: its response is what a repeat gets. `requestHash`: the
   * hash of a streamed request, now that its body has been read.
   */
  abstract complete(
    organizationId: string,
    key: string,
    status: number,
    body: unknown,
    requestHash?: string,
  ): Promise<void>;

  /** The first request failed: forget the key, so a corrected retry may use it. */
  abstract release(organizationId: string, key: string): Promise<void>;
}
