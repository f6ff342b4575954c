import { organizationIdOf } from '@app/tenancy';
import type { Principal } from '@app/access';
import {
  isExemptPrincipal,
  rateLimitedDetail,
  rateLimitHeaders,
  secondsUntilReset,
  trackerFor,
} from './rate-limit-policy';

const viewer: Principal = {
  kind: 'apiKey',
  id: '5f0c3c1e-9c57-4a43-8d1a-2a4b2b7d9a10',
  organizationId: organizationIdOf('c7a3f3a2-31c4-4b7e-9a52-0d8f8b8f2f11'),
  role: 'viewer',
};
const person: Principal = { ...viewer, kind: 'user', role: 'analyst' };

describe('trackerFor', () => {
  it('keys an authenticated caller on its principal, in every class but login', () => {
    expect(trackerFor('default', viewer, '203.0.113.9', 64)).toBe(`apiKey:${viewer.id}`);
    expect(trackerFor('expensive', person, '203.0.113.9', 64)).toBe(`user:${person.id}`);
  });

  it('keys an anonymous caller on its IP', () => {
    expect(trackerFor('default', undefined, '203.0.113.9', 64)).toBe('ip:203.0.113.9');
  });

  it('keys login attempts on the IP even when a principal is present', () => {
    expect(trackerFor('login', viewer, '203.0.113.9', 64)).toBe('ip:203.0.113.9');
  });

  it('folds IPv4-mapped IPv6 into IPv4 and IPv6 into its /64', () => {
    expect(trackerFor('login', undefined, '::ffff:203.0.113.9', 64)).toBe('ip:203.0.113.9');
    expect(trackerFor('login', undefined, '2001:db8:1:2:aaaa::1', 64)).toBe('ip:2001:db8:1:2::/64');
    expect(trackerFor('login', undefined, '2001:db8:1:2:bbbb::7', 64)).toBe('ip:2001:db8:1:2::/64');
  });
});

describe('isExemptPrincipal', () => {
  it('exempts the service role only', () => {
    expect(isExemptPrincipal({ ...viewer, role: 'service' })).toBe(true);
    expect(isExemptPrincipal({ ...viewer, role: 'admin' })).toBe(false);
    expect(isExemptPrincipal(viewer)).toBe(false);
    expect(isExemptPrincipal(undefined)).toBe(false);
  });
});

describe('rateLimitHeaders', () => {
  it('counts the remaining budget down to zero and gives the window reset in seconds', () => {
    const first = { totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 };
    expect(rateLimitHeaders(5, first)).toEqual({
      'RateLimit-Limit': '5',
      'RateLimit-Remaining': '4',
      'RateLimit-Reset': '60',
    });
    const last = { totalHits: 5, timeToExpire: 12, isBlocked: false, timeToBlockExpire: 0 };
    expect(rateLimitHeaders(5, last)['RateLimit-Remaining']).toBe('0');
  });

  it('adds Retry-After on a refusal and resets when the block lifts', () => {
    const blocked = { totalHits: 9, timeToExpire: 10, isBlocked: true, timeToBlockExpire: 42 };
    expect(rateLimitHeaders(5, blocked)).toEqual({
      'RateLimit-Limit': '5',
      'RateLimit-Remaining': '0',
      'RateLimit-Reset': '42',
      'Retry-After': '42',
    });
  });

  it('never answers a reset below one second or a fraction', () => {
    expect(
      secondsUntilReset({ totalHits: 1, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 }),
    ).toBe(1);
    expect(
      secondsUntilReset({ totalHits: 6, timeToExpire: 3, isBlocked: true, timeToBlockExpire: 2.2 }),
    ).toBe(3);
  });
});

describe('rateLimitedDetail', () => {
  it('names the class, the limit and when to retry', () => {
    expect(rateLimitedDetail('login', 10, 900, 840)).toBe(
      'Rate limit exceeded for the login class (10 requests per 900 s); retry in 840 s',
    );
  });
});
