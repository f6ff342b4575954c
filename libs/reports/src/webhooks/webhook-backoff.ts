const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** The wait after each failed attempt (the first after attempt 1): about 41.6 hours in all. */
export const WEBHOOK_RETRY_SCHEDULE_MS: readonly number[] = [
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  24 * HOUR,
];

/** Each delay is spread uniformly over ±20 % of its nominal value. */
const JITTER = 0.2;

/**
 * How long to wait after failed attempt `attempt` (1-based) before the next one, or null
 * when that was the last attempt and the delivery gives up.
 *
 * The jitter is uniform over ±20 % of the nominal delay, not "full" (0 to the delay) or
 * "equal" (half to the delay) jitter: those would let the first retry come at once and
 * blur the schedule receivers are told about, while ±20 % still spreads a burst of
 * deliveries that failed together (a receiver that was down) over minutes to hours.
 */
export function webhookRetryDelayMs(
  attempt: number,
  random: () => number = Math.random,
  schedule: readonly number[] = WEBHOOK_RETRY_SCHEDULE_MS,
): number | null {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(`attempt must be a whole number from 1, not ${attempt}`);
  }
  const nominal = schedule[attempt - 1];
  if (nominal === undefined) return null;
  return Math.round(nominal * (1 + JITTER * (2 * random() - 1)));
}
