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
 * A season in words, with the numbers of its profile rounded as people read them:
 * "temp_max follows a yearly cycle (strength 0.85): monthly means from 8.2 in Dec and Jan
 * to 26.1 in Aug". Phases whose means round alike share the low or the high end.
 */
export function describeSeason(
  column: string,
  season: Pick<Seasonality, 'name' | 'period' | 'strength' | 'profile'>,
): string {
  const cycle =
    season.name === 'other'
      ? `a cycle of ${season.period} points`
      : `${season.name === 'hourly' ? 'an' : 'a'} ${season.name} cycle`;
  const head = `${column} follows ${cycle} (strength ${roundForWords(season.strength)})`;
  if (season.profile.length < 2) return head;
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
  return `${head}: ${phases.means} from ${low} ${at(low)} to ${high} ${at(high)}`;
}
