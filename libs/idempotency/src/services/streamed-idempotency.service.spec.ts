import { organizationIdOf } from '@app/tenancy';
import { Readable } from 'node:stream';
import { ProblemException } from '@app/common';
import type { StreamedIdempotencyOutcome } from './idempotency-outcomes';
import type { IdempotencyService } from './idempotency.service';
import { StreamedIdempotencyService, type StreamedWrite } from './streamed-idempotency.service';

/** One organization's keys in memory: what was stored, and what was released. */
class KeyStore {
  stored: { status: number; body: unknown; requestHash?: string } | 'taken' | undefined;
  released = 0;

  service(): IdempotencyService {
    const keys: Pick<IdempotencyService, 'beginStreamed' | 'complete' | 'release'> = {
      beginStreamed: (): Promise<StreamedIdempotencyOutcome> => {
        const stored = this.stored;
        if (stored === undefined) {
          this.stored = 'taken';
          return Promise.resolve({ kind: 'first' });
        }
        if (stored === 'taken') throw new Error('the test never runs two at once');
        return Promise.resolve({
          kind: 'compare',
          requestHash: stored.requestHash ?? '',
          status: stored.status,
          body: stored.body,
        });
      },
      complete: (_org, _key, status, body, requestHash) => {
        this.stored = { status, body, requestHash };
        return Promise.resolve();
      },
      release: () => {
        this.stored = undefined;
        this.released++;
        return Promise.resolve();
      },
    };
    return keys as IdempotencyService;
  }
}

/** A body arriving in `chunks`. */
function bytes(...chunks: string[]): AsyncIterable<Uint8Array> {
  return Readable.from(chunks.map((chunk) => Buffer.from(chunk)));
}

describe('StreamedIdempotencyService', () => {
  let store: KeyStore;
  let service: StreamedIdempotencyService;
  let writes: string[];

  beforeEach(() => {
    store = new KeyStore();
    service = new StreamedIdempotencyService(store.service());
    writes = [];
  });

  /** A write of `chunks` by `caller` whose answer echoes what it read. */
  const request = (caller: string, ...chunks: string[]): StreamedWrite => ({
    body: bytes(...chunks),
    maxBytes: 10,
    tooLarge: (max) => new ProblemException(413, 'too-large', `over ${max}`),
    readFailed: (error) => error,
    requestHash: (bodyHash) => `${caller}:${bodyHash}`,
    write: async (body) => {
      let read = '';
      for await (const chunk of body) read += Buffer.from(chunk).toString();
      writes.push(read);
      return { status: 201, body: { read } };
    },
  });

  it('writes the first request and stores its answer under the hash of its bytes', async () => {
    const answer = await service.run(organizationIdOf('org-1'), 'k', request('alice', 'ab', 'c'));
    expect(answer).toEqual({ status: 201, body: { read: 'abc' }, replayed: false });
    expect(writes).toEqual(['abc']);
    expect(store.stored).toMatchObject({
      status: 201,
      requestHash: expect.stringMatching(/^alice:[0-9a-f]{64}$/),
    });
  });

  it('answers a repeat of the same bytes with the first answer, whatever the chunking', async () => {
    await service.run(organizationIdOf('org-1'), 'k', request('alice', 'ab', 'c'));
    const repeat = await service.run(organizationIdOf('org-1'), 'k', request('alice', 'a', 'bc'));
    expect(repeat).toEqual({ status: 201, body: { read: 'abc' }, replayed: true });
    expect(writes).toEqual(['abc']);
  });

  it('refuses other bytes, or another caller, under a used key with 409', async () => {
    await service.run(organizationIdOf('org-1'), 'k', request('alice', 'abc'));
    await expect(
      service.run(organizationIdOf('org-1'), 'k', request('alice', 'abd')),
    ).rejects.toMatchObject({
      status: 409,
    });
    await expect(
      service.run(organizationIdOf('org-1'), 'k', request('bob', 'abc')),
    ).rejects.toMatchObject({
      status: 409,
    });
    expect(writes).toEqual(['abc']);
  });

  it('reads a repeat no further than the limit', async () => {
    await service.run(organizationIdOf('org-1'), 'k', request('alice', 'abc'));
    await expect(
      service.run(organizationIdOf('org-1'), 'k', request('alice', 'abcdef', 'ghijkl')),
    ).rejects.toMatchObject({ status: 413, slug: 'too-large' });
  });

  it('releases the key when the write fails, so a corrected retry may use it', async () => {
    const failing = {
      ...request('alice', 'abc'),
      write: () => Promise.reject(new Error('bad csv')),
    };
    await expect(service.run(organizationIdOf('org-1'), 'k', failing)).rejects.toThrow('bad csv');
    expect(store.released).toBe(1);
    expect(store.stored).toBeUndefined();
    await expect(
      service.run(organizationIdOf('org-1'), 'k', request('alice', 'abc')),
    ).resolves.toMatchObject({
      replayed: false,
    });
  });
});
