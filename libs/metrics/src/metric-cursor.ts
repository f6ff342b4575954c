import { invalidCursor } from '@app/common';
import type { MetricPosition } from './repositories/metrics.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An opaque cursor after `position` in `(observedAt DESC, id DESC)` order. */
export function encodeMetricCursor(position: MetricPosition): string {
  return Buffer.from(JSON.stringify([position.observedAt.toISOString(), position.id])).toString(
    'base64url',
  );
}

/** The position a cursor from {@link encodeMetricCursor} holds; 400 for anything else. */
export function decodeMetricCursor(cursor: string | undefined): MetricPosition | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2) {
      const [time, id] = parsed as unknown[];
      const observedAt = typeof time === 'string' ? new Date(time) : new Date(NaN);
      if (!Number.isNaN(observedAt.getTime()) && typeof id === 'string' && UUID.test(id)) {
        return { observedAt, id };
      }
    }
  } catch {
    // Not base64url JSON: the 400 below.
  }
  throw invalidCursor();
}
