import type { IncomingMessage } from 'node:http';
import { resolveRequestId } from './request-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function request(headers: Record<string, string | string[] | undefined> = {}): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}

describe('resolveRequestId', () => {
  it.each(['abc-123', 'trace_01.a:b', '0f8fad5b-d9cb-469f-a165-70867728950e', 'x'.repeat(128)])(
    'echoes a sane client id (%s)',
    (id) => {
      expect(resolveRequestId(request({ 'x-request-id': id }))).toBe(id);
    },
  );

  it('uses the first of repeated headers', () => {
    expect(resolveRequestId(request({ 'x-request-id': ['first-id', 'second-id'] }))).toBe(
      'first-id',
    );
  });

  it.each([
    ['spaces', 'hello world'],
    ['a newline', 'abc\ninjected log line'],
    ['a carriage return', 'abc\r'],
    ['200 characters', 'a'.repeat(200)],
    ['129 characters', 'a'.repeat(129)],
    ['nothing', ''],
    ['non-ASCII', 'idé'],
  ])('replaces an id with %s by a UUID', (_label, id) => {
    const resolved = resolveRequestId(request({ 'x-request-id': id }));

    expect(resolved).toMatch(UUID);
    expect(resolved).not.toBe(id);
  });

  it('generates a UUID when the header is absent', () => {
    expect(resolveRequestId(request())).toMatch(UUID);
  });

  it('returns the same id for the same request object', () => {
    const raw = request();

    const first = resolveRequestId(raw);
    raw.headers['x-request-id'] = 'changed-later';

    expect(resolveRequestId(raw)).toBe(first);
  });

  it('gives different requests different generated ids', () => {
    expect(resolveRequestId(request())).not.toBe(resolveRequestId(request()));
  });
});
