import { ProblemException } from '@app/common';

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
