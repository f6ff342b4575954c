import { WEBHOOK_RETRY_SCHEDULE_MS, webhookRetryDelayMs } from './webhook-backoff';

const nominal = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 86_400_000];

describe('webhookRetryDelayMs', () => {
  it('follows 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 24 h after attempts 1 to 7', () => {
    const middle = (): number => 0.5;
    expect([1, 2, 3, 4, 5, 6, 7].map((attempt) => webhookRetryDelayMs(attempt, middle))).toEqual(
      nominal,
    );
    expect(WEBHOOK_RETRY_SCHEDULE_MS).toEqual(nominal);
  });

  it('gives up after the seventh retry', () => {
    expect(webhookRetryDelayMs(8, () => 0.5)).toBeNull();
    expect(webhookRetryDelayMs(100)).toBeNull();
  });

  it('spreads each delay over ±20 % of its nominal value', () => {
    nominal.forEach((delay, index) => {
      expect(webhookRetryDelayMs(index + 1, () => 0)).toBe(Math.round(delay * 0.8));
      expect(webhookRetryDelayMs(index + 1, () => 0.25)).toBe(Math.round(delay * 0.9));
      expect(webhookRetryDelayMs(index + 1, () => 0.75)).toBe(Math.round(delay * 1.1));
      expect(webhookRetryDelayMs(index + 1, () => 1 - Number.EPSILON)).toBe(
        Math.round(delay * 1.2),
      );
    });
  });

  it('uses Math.random by default, always inside the band and not always the same', () => {
    const delays = Array.from({ length: 200 }, () => webhookRetryDelayMs(1));
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(4_000);
      expect(delay).toBeLessThanOrEqual(6_000);
    }
    expect(new Set(delays).size).toBeGreaterThan(10);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses attempt %p', (attempt) => {
    expect(() => webhookRetryDelayMs(attempt)).toThrow(RangeError);
  });

  it('follows a configured schedule, giving up after its last delay', () => {
    const schedule = [1000, 2000];
    expect(webhookRetryDelayMs(1, () => 0.5, schedule)).toBe(1000);
    expect(webhookRetryDelayMs(2, () => 1, schedule)).toBe(2400);
    expect(webhookRetryDelayMs(3, () => 0.5, schedule)).toBeNull();
  });
});
