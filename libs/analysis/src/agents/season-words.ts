import { roundForWords } from '../statistics/season-profile';
import type { Seasonality } from '../statistics/series-analysis';

/** How the phases of a season are named in a sentence. */
const PHASES: Record<Seasonality['name'], { means: string; at: string; label?: string }> = {
  yearly: { means: 'monthly means', at: 'in' },
  weekly: { means: 'means by weekday', at: 'on' },
  daily: { means: 'hourly means', at: 'at', label: ':00' },
  hourly: { means: 'means by phase', at: 'at phase' },
  monthly: { means: 'means by phase', at: 'at phase' },
  other: { means: 'means by phase', at: 'at phase' },
};

/** `a`, `a and b`, `a, b and c`. */
function listed(items: readonly string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * The low and high ends of a season's profile, rounded as people read them: "monthly means
 * from 8.2 in Dec and Jan to 26.1 in Aug" (phases whose means round alike share an end);
 * empty with fewer than two phases.
 */
export function seasonRange(season: Pick<Seasonality, 'name' | 'profile'>): string {
  if (season.profile.length < 2) return '';
  const means = season.profile.map((phase) => phase.mean);
  const low = roundForWords(Math.min(...means));
  const high = roundForWords(Math.max(...means));
  const phases = PHASES[season.name];
  const at = (rounded: string) =>
    `${phases.at} ${listed(
      season.profile
        .filter((phase) => roundForWords(phase.mean) === rounded)
        .map((phase) => `${phase.label}${phases.label ?? ''}`),
    )}`;
  return `${phases.means} from ${low} ${at(low)} to ${high} ${at(high)}`;
}

/** "a yearly cycle", "an hourly cycle", "a cycle of 11 points". */
export function cycleWords(season: Pick<Seasonality, 'name' | 'period'>): string {
  if (season.name === 'other') return `a cycle of ${season.period} points`;
  return `${season.name === 'hourly' ? 'an' : 'a'} ${season.name} cycle`;
}

/**
 * A season in words, with the numbers of its profile rounded as people read them:
 * "temp_max follows a yearly cycle (strength 0.85): monthly means from 8.2 in Dec and Jan
 * to 26.1 in Aug".
 */
export function describeSeason(
  column: string,
  season: Pick<Seasonality, 'name' | 'period' | 'strength' | 'profile'>,
): string {
  const head = `${column} follows ${cycleWords(season)} (strength ${roundForWords(season.strength)})`;
  const range = seasonRange(season);
  return range === '' ? head : `${head}: ${range}`;
}
