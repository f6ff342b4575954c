import type { Aggregate, TimeBucket } from '../query/structured-query';

/**
 * The words the builtin planner knows, as phrases of lower-case words. Kept general: the
 * planner finds columns and values by their own names; these lists name the operations.
 */

/** A phrase and what it means, matched on consecutive question words. */
export interface Phrase<T> {
  words: readonly string[];
  meaning: T;
}

const phrases = <T>(entries: ReadonlyArray<[string, T]>): Array<Phrase<T>> =>
  entries.map(([text, meaning]) => ({ words: text.split(' '), meaning }));

/** Aggregate words. Superlatives ("highest") are order words, not aggregates (see ORDER_WORDS). */
export const AGGREGATE_WORDS = phrases<Aggregate>([
  ['average', 'avg'],
  ['avg', 'avg'],
  ['mean', 'avg'],
  ['typical', 'avg'],
  ['total', 'sum'],
  ['sum', 'sum'],
  ['combined', 'sum'],
  ['cumulative', 'sum'],
  ['how many', 'count'],
  ['how much', 'sum'],
  ['number of', 'count'],
  ['count of', 'count'],
  ['count', 'count'],
  ['median', 'median'],
  ['minimum', 'min'],
  ['min', 'min'],
  ['maximum', 'max'],
  ['max', 'max'],
  ['90th percentile', 'p90'],
  ['p90', 'p90'],
  ['95th percentile', 'p95'],
  ['p95', 'p95'],
  ['share', 'share'],
  ['percentage', 'share'],
  ['percent', 'share'],
  ['proportion', 'share'],
  ['fraction', 'share'],
]);

/** "how many different X": a count of distinct values. */
export const DISTINCT_WORDS = new Set(['distinct', 'different', 'unique']);

/** Superlatives: the extreme of a measure, across rows or groups. */
export const ORDER_WORDS = phrases<'desc' | 'asc'>([
  ['highest', 'desc'],
  ['largest', 'desc'],
  ['biggest', 'desc'],
  ['greatest', 'desc'],
  ['most', 'desc'],
  ['maximum', 'desc'],
  ['max', 'desc'],
  ['top', 'desc'],
  ['best', 'desc'],
  ['peak', 'desc'],
  ['lowest', 'asc'],
  ['smallest', 'asc'],
  ['least', 'asc'],
  ['fewest', 'asc'],
  ['minimum', 'asc'],
  ['min', 'asc'],
  ['bottom', 'asc'],
  ['worst', 'asc'],
]);

/** Words that put the rows into groups of a column or time bucket that follows. */
export const GROUP_WORDS = phrases<true>([
  ['broken down by', true],
  ['grouped by', true],
  ['split by', true],
  ['for each', true],
  ['for every', true],
  ['by', true],
  ['per', true],
  ['each', true],
  ['every', true],
  ['across', true],
]);

/** Time bucket words, used after a group word ("by month") or on their own ("monthly"). */
export const BUCKET_WORDS = phrases<TimeBucket>([
  ['day of the week', 'weekday'],
  ['day of week', 'weekday'],
  ['weekday', 'weekday'],
  ['hour of the day', 'hour'],
  ['hour of day', 'hour'],
  ['hour', 'hour'],
  ['hourly', 'hour'],
  ['day', 'day'],
  ['daily', 'day'],
  ['date', 'day'],
  ['week', 'week'],
  ['weekly', 'week'],
  ['month', 'month'],
  ['monthly', 'month'],
  ['quarter', 'quarter'],
  ['quarterly', 'quarter'],
  ['year', 'year'],
  ['yearly', 'year'],
  ['annual', 'year'],
  ['annually', 'year'],
]);

export type Comparator = 'gt' | 'gte' | 'lt' | 'lte' | 'eq' | 'ne';

/** Words comparing a column with a number that follows. */
export const COMPARATOR_WORDS = phrases<Comparator>([
  ['more than', 'gt'],
  ['greater than', 'gt'],
  ['higher than', 'gt'],
  ['larger than', 'gt'],
  ['bigger than', 'gt'],
  ['over', 'gt'],
  ['above', 'gt'],
  ['exceeding', 'gt'],
  ['exceeds', 'gt'],
  ['exceeded', 'gt'],
  ['at least', 'gte'],
  ['no less than', 'gte'],
  ['less than', 'lt'],
  ['fewer than', 'lt'],
  ['lower than', 'lt'],
  ['smaller than', 'lt'],
  ['under', 'lt'],
  ['below', 'lt'],
  ['at most', 'lte'],
  ['no more than', 'lte'],
  ['up to', 'lte'],
  ['equal to', 'eq'],
  ['equals', 'eq'],
  ['exactly', 'eq'],
  ['not', 'ne'],
]);

/** Words that set two groups or periods side by side. */
export const VERSUS_WORDS = phrases<true>([
  ['compared with', true],
  ['compared to', true],
  ['as opposed to', true],
  ['versus', true],
  ['vs', true],
  ['against', true],
  ['compare', true],
  ['comparing', true],
  ['difference between', true],
]);

export const MONTHS = [
  ['january', 'jan'],
  ['february', 'feb'],
  ['march', 'mar'],
  ['april', 'apr'],
  ['may'],
  ['june', 'jun'],
  ['july', 'jul'],
  ['august', 'aug'],
  ['september', 'sep', 'sept'],
  ['october', 'oct'],
  ['november', 'nov'],
  ['december', 'dec'],
] as const;

/** Units of "the last 30 days". */
export const RELATIVE_UNIT_WORDS: Readonly<
  Record<string, 'hour' | 'day' | 'week' | 'month' | 'year'>
> = {
  hour: 'hour',
  day: 'day',
  week: 'week',
  month: 'month',
  year: 'year',
};

/**
 * Words that name the rows themselves ("how many days", "which cars"), not a column:
 * generic ones here, the dataset's own name and its time unit added per question.
 */
export const ROW_WORDS = new Set([
  'row',
  'record',
  'entry',
  'observation',
  'item',
  'case',
  'event',
  'time',
  'occasion',
  'one',
  'thing',
  'sample',
]);

/** Function words and question words that carry nothing the query needs. */
export const FILLER_WORDS = new Set(
  `a an the of in on at to for with from into about as is are was were be been being do does
  did have has had what which who when where how there here this that these those it its they
  them their we our you your i me my show tell give find list get let us please can could would
  should will data dataset value values all any some and or than then so if just also value
  recorded measured observed seen happen happened occur occurred during within whose where
  whats what's value see look looking know want wanted like get got live lives living
  come comes came located found belong belongs made built produced sold take took
  typically usually generally on average whole entire ever fell fall falls fallen all-time
  altogether overall between since after before until among amongst through via`
    .trim()
    .split(/\s+/),
);

/** Units written after a number or a measure ("20 mm", "in degrees"): they change nothing. */
export const UNIT_WORDS = new Set(
  `mm cm km m kg g lb lbs pound pounds degree degrees celsius fahrenheit °c °f c f knot knots
  mph kmh kph usd dollar dollars eur euro euros gbp inch inches ft feet foot meter meters metre
  metres mw mwh kwh gwh twh gigawatt megawatt hectare hectares gram grams kilogram kilograms`
    .trim()
    .split(/\s+/),
);

/**
 * Measures usually added up across rows (a region's revenue is the sum of its sales); any
 * other measure is averaged when a question asks which group has the most of it.
 */
export const ADDITIVE_WORDS = new Set(
  `sale revenue amount total count quantity qty unit volume precipitation precip rain rainfall
  snow snowfall cost spend spending profit order visit click download death case injury
  fatality donation contribution vote installation install generation production consumption
  emission usage population pop`
    .trim()
    .split(/\s+/),
);

/**
 * Groups of words naming the same thing, in singular form: a question word in a group
 * matches a column word in the same group ("temperature" → `temp_max`).
 */
export const SYNONYMS: ReadonlyArray<readonly string[]> = [
  ['temperature', 'temp', 'tmp', 'hot', 'hotter', 'hottest', 'warm', 'warmer', 'warmest'],
  ['temperature', 'temp', 'cold', 'colder', 'coldest', 'cool', 'cooler', 'coolest'],
  ['precipitation', 'precip', 'prcp', 'rain', 'rainfall', 'wet', 'wetter', 'wettest'],
  ['wind', 'windy', 'windspeed', 'windier', 'windiest'],
  ['sale', 'revenue', 'turnover'],
  ['price', 'cost', 'fee', 'fare'],
  ['quantity', 'qty', 'volume', 'unit'],
  ['weight', 'mass', 'heavy', 'heavier', 'heaviest', 'light', 'lighter', 'lightest'],
  ['height', 'tall', 'taller', 'tallest'],
  ['length', 'long', 'longer', 'longest'],
  ['speed', 'fast', 'faster', 'fastest', 'quick', 'quicker', 'quickest'],
  ['age', 'old', 'older', 'oldest'],
  ['horsepower', 'hp', 'power', 'powerful'],
  ['mile', 'mpg', 'economy', 'efficient', 'efficiency'],
  ['country', 'nation'],
  ['region', 'area', 'zone'],
  ['location', 'city', 'town', 'place', 'site', 'station'],
  ['beak', 'bill'],
  ['city', 'town'],
  ['category', 'type', 'kind', 'class'],
  ['year', 'yr'],
];

/** Superlative synonyms that also say which way to order (hottest → desc, coldest → asc). */
export const SUPERLATIVE_DIRECTION: Readonly<Record<string, 'asc' | 'desc'>> = {
  hottest: 'desc',
  warmest: 'desc',
  coldest: 'asc',
  coolest: 'asc',
  wettest: 'desc',
  windiest: 'desc',
  heaviest: 'desc',
  lightest: 'asc',
  tallest: 'desc',
  longest: 'desc',
  fastest: 'desc',
  quickest: 'desc',
  oldest: 'desc',
};
