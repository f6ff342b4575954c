/**
 * What the builtin planner knows of the words people use in a question about a dataset.
 * Kept small and general on purpose: column names are matched by their own words first
 * (split, singular, abbreviation, typo); these lists only bridge the usual gaps.
 */

/** The specialists a question can name (`profile` is data quality). */
export type FocusSpecialist = 'profile' | 'trends' | 'anomalies' | 'text' | 'segments';

/**
 * Groups of words that name the same measure, in singular form. A question word in a
 * group matches a column part in the same group (`temperatures` → `temp_max`).
 */
export const SYNONYMS: readonly (readonly string[])[] = [
  ['temperature', 'temp', 'tmp', 'heat', 'warm', 'warmer', 'warmest', 'hot', 'hotter', 'hottest'],
  ['temperature', 'cold', 'colder', 'coldest', 'cool', 'cooler', 'degree'],
  ['precipitation', 'precip', 'prcp', 'rain', 'rainfall', 'rainy', 'wet', 'wetter', 'shower'],
  ['snow', 'snowfall', 'snowy'],
  ['wind', 'windy', 'windspeed', 'gust', 'breeze'],
  ['humidity', 'humid', 'moisture'],
  ['sale', 'revenue', 'turnover', 'income', 'earning'],
  ['price', 'cost', 'fee', 'fare'],
  ['profit', 'margin', 'earning'],
  ['quantity', 'qty', 'volume'],
  ['customer', 'client', 'buyer', 'user'],
  ['visitor', 'visit', 'traffic', 'session', 'pageview'],
  ['duration', 'latency', 'elapsed'],
  ['rating', 'score', 'star', 'grade'],
  ['review', 'comment', 'feedback', 'remark', 'note'],
  ['category', 'type', 'kind', 'class', 'group'],
  ['region', 'area', 'zone', 'territory'],
  ['country', 'nation'],
  ['city', 'town'],
  ['age', 'old', 'older', 'oldest', 'young', 'younger', 'youngest'],
  ['weight', 'mass', 'heavy', 'heavier', 'heaviest'],
  ['height', 'tall', 'taller', 'tallest'],
  ['speed', 'velocity', 'fast', 'faster', 'fastest', 'slow', 'slower'],
  // Qualifiers: they refine a match (below) but name no measure of their own.
  ['max', 'maximum', 'highest', 'high', 'peak', 'top', 'upper'],
  ['min', 'minimum', 'lowest', 'low', 'bottom', 'lower'],
  ['avg', 'average', 'mean', 'typical'],
];

/** A list written as words separated by spaces (easier to read and edit than quoted items). */
const list = (words: string): string[] => words.trim().split(/\s+/);

/**
 * Column parts that qualify a measure rather than name one (`max` in `temp_max`): a
 * question word matching only these does not select a column unless they are all the
 * column's name (a column called `count`). Time words are here too: "unusual days" asks
 * about rows, not about a column called `days_open`.
 */
export const QUALIFIERS = new Set(
  list(`
    max maximum min minimum avg average mean median total sum count num number no nr id value
    val amount rate pct percent high low top std var daily weekly monthly yearly hourly annual
    per day date time week month year hour minute second ts timestamp at of in by and to from
    the a`),
);

/** Words that carry no meaning for the planner (function words of English questions). */
export const STOPWORDS = new Set(
  list(`
    a an the and or but of in on at to for with from into about as is are was were be been
    being do does did done have has had how what which who whom when where why there here this
    that these those it its they them their we our you your i me my any some all each every
    much many more most less least than then so if can could would should will shall may might
    must not no yes please show tell give find look see get let us data dataset column columns
    value values row rows file table also just very really anything something thing things way
    ways by per across between among versus vs over during since until up down out go going
    went happen happened happening doing whether like time times period overall generally
    general`),
);

/**
 * Words that say what to look for. An entry ending in `*` matches words it begins
 * (`anomal*`: anomaly, anomalies, anomalous); entries of 7 letters or more also match
 * their typos (`anomolies`).
 */
export const CUES: Readonly<Record<FocusSpecialist, readonly string[]>> = {
  anomalies: list(`
    unusual outlier* anomal* anomaly anomalies spike* dip dips abnormal* odd strange weird
    extreme* unexpected* surpris* suspicious* irregular* exceptional* rare oddities glitch*`),
  trends: list(`
    trend* chang* season* grow* grew increas* decreas* rise rises rising rose risen fall falls
    falling fell declin* evolv* evolution cycl* shift* drift* pattern* trajectory momentum`),
  text: list(`
    sentiment* feel* felt say says said saying opinion* complain* mood tone happy unhappy
    satisf* dissatisf* praise* keyword* topic* mention* entities entity`),
  segments: list(`
    differ* compar* contrast* versus vs correlat* relationship* relate* related associat*
    affect* impact* depend* segment* breakdown`),
  profile: list(`quality missing null* empty blank* duplicat* complete* clean* invalid gaps`),
};

/** Multi-word cues, matched on the question's words joined by single spaces. */
export const PHRASES: ReadonlyArray<[RegExp, FocusSpecialist]> = [
  [/\bover time\b|\bover the (?:years?|months?|weeks?|days?)\b/, 'trends'],
  [/\b(?:go(?:es|ing)?|went|move[sd]?|moving) (?:up|down)\b/, 'trends'],
  [/\byear over year\b|\bmonth over month\b/, 'trends'],
  [/\bstand(?:s|ing)? out\b|\bstood out\b|\bout of (?:the )?ordinary\b/, 'anomalies'],
  [/\bwhat do (?:people|customers|users|reviewers) (?:think|say|write)\b/, 'text'],
];

/**
 * Words after which a column names the groups to compare ("sales by region", "per
 * store", "across weather types"): they make a question about segments.
 */
export const GROUPING_WORDS = new Set(list('by per across between among each'));
