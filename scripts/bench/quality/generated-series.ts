/**
 * A seeded generator of series with known structure — seasons (daily, weekly, yearly),
 * trends, level shifts, variance changes, spikes and dips, contextual anomalies (a normal
 * value at the wrong phase), noise of several levels, gaps — and controls with none of
 * them. The generator is committed, the data is not: the same seed gives the same series.
 * Each template is drawn REPLICATES times with its own seed, so no result rests on one draw.
 */
import type { Series } from './detector';

export type SeasonKind = 'daily' | 'weekly' | 'yearly';
export type TrendDirection = 'increasing' | 'decreasing' | 'none';

export interface GeneratedSeries extends Series {
  name: string;
  intervalMs: number;
  truth: {
    /** Seasons planted, with their period in points. */
    seasons: Array<{ name: SeasonKind; period: number }>;
    /** The trend's direction, or null where shifts make "the trend" ambiguous. */
    trend: TrendDirection | null;
    /** Index of the first point of each new level / new spread. */
    levelShifts: number[];
    varianceChanges: number[];
    spikes: number[];
    contextual: number[];
  };
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** Monday 2024-01-01 00:00 UTC: weekday phases line up with the calendar. */
const START_MS = Date.UTC(2024, 0, 1);
const REPLICATES = 2;
const SEED = 20_261_207;

interface Template {
  name: string;
  intervalMs: number;
  length: number;
  level?: number;
  noise: number;
  /** Lag-1 autocorrelation of the noise (AR(1)); 0 for white noise. */
  ar?: number;
  seasons?: Partial<Record<SeasonKind, number>>;
  trendPerDay?: number;
  levelShifts?: number;
  varianceChanges?: number;
  spikes?: number;
  contextual?: number;
  /** Share of timestamps dropped at random (missing readings). */
  gaps?: number;
}

const TEMPLATES: readonly Template[] = [
  { name: 'hourly daily', intervalMs: HOUR_MS, length: 42 * 24, noise: 1, seasons: { daily: 5 } },
  {
    name: 'hourly daily+weekly',
    intervalMs: HOUR_MS,
    length: 10 * 168,
    noise: 1,
    seasons: { daily: 5, weekly: 4 },
  },
  {
    name: '5-min daily',
    intervalMs: 5 * MINUTE_MS,
    length: 21 * 288,
    noise: 2,
    seasons: { daily: 8 },
  },
  {
    name: '5-min daily noisy',
    intervalMs: 5 * MINUTE_MS,
    length: 14 * 288,
    noise: 2,
    seasons: { daily: 3 },
  },
  { name: 'daily weekly', intervalMs: DAY_MS, length: 730, noise: 2, seasons: { weekly: 6 } },
  { name: 'daily yearly', intervalMs: DAY_MS, length: 1096, noise: 2.5, seasons: { yearly: 10 } },
  {
    name: 'daily weekly+yearly',
    intervalMs: DAY_MS,
    length: 1096,
    noise: 1.5,
    seasons: { weekly: 3, yearly: 8 },
  },
  {
    name: 'hourly daily, trend',
    intervalMs: HOUR_MS,
    length: 8 * 168,
    noise: 1,
    seasons: { daily: 4 },
    trendPerDay: 0.2,
  },
  {
    name: 'daily yearly, trend down',
    intervalMs: DAY_MS,
    length: 1461,
    noise: 2,
    seasons: { yearly: 10 },
    trendPerDay: -0.005,
  },
  { name: 'white noise', intervalMs: HOUR_MS, length: 2000, noise: 1 },
  { name: 'AR(1) noise', intervalMs: 5 * MINUTE_MS, length: 3000, noise: 1, ar: 0.6 },
  { name: 'trend only', intervalMs: DAY_MS, length: 800, noise: 1, trendPerDay: 0.01 },
  { name: 'level shifts', intervalMs: HOUR_MS, length: 1500, noise: 1, levelShifts: 2 },
  {
    name: 'level shifts, daily',
    intervalMs: HOUR_MS,
    length: 12 * 168,
    noise: 1,
    seasons: { daily: 5 },
    levelShifts: 3,
  },
  {
    name: 'level shifts, weekly',
    intervalMs: DAY_MS,
    length: 730,
    noise: 1,
    seasons: { weekly: 4 },
    levelShifts: 2,
  },
  {
    name: 'variance change',
    intervalMs: 5 * MINUTE_MS,
    length: 4000,
    noise: 1,
    varianceChanges: 1,
  },
  {
    name: 'variance change, daily',
    intervalMs: HOUR_MS,
    length: 12 * 168,
    noise: 1,
    seasons: { daily: 5 },
    varianceChanges: 1,
  },
  {
    name: 'spikes, daily',
    intervalMs: HOUR_MS,
    length: 8 * 168,
    noise: 1,
    seasons: { daily: 5 },
    spikes: 6,
  },
  {
    name: 'spikes, 5-min daily',
    intervalMs: 5 * MINUTE_MS,
    length: 21 * 288,
    noise: 2,
    seasons: { daily: 8 },
    spikes: 8,
  },
  {
    name: 'contextual, daily',
    intervalMs: HOUR_MS,
    length: 8 * 168,
    noise: 1,
    seasons: { daily: 6 },
    contextual: 4,
  },
  {
    name: 'contextual, weekly',
    intervalMs: DAY_MS,
    length: 730,
    noise: 1,
    seasons: { weekly: 8 },
    contextual: 3,
  },
  {
    name: 'everything',
    intervalMs: HOUR_MS,
    length: 12 * 168,
    noise: 1,
    seasons: { daily: 5, weekly: 3 },
    trendPerDay: 0.05,
    levelShifts: 2,
    spikes: 4,
    contextual: 2,
  },
  {
    name: 'gaps, daily spikes',
    intervalMs: HOUR_MS,
    length: 8 * 168,
    noise: 1,
    seasons: { daily: 5 },
    spikes: 4,
    gaps: 0.03,
  },
];

/** mulberry32: a small, fast, well-mixed 32-bit PRNG, uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box–Muller). */
function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * `count` positions in [20 %, 90 %) of the series (after NAB's probationary 15 %, which the
 * bench leaves unscored for every detector), at least `gap` apart and `gap` from
 * every position already `taken`, so that planted events do not overlap; only where
 * `allowed` says so.
 */
function positions(
  random: () => number,
  n: number,
  count: number,
  gap: number,
  taken: number[],
  allowed: (i: number) => boolean = () => true,
): number[] {
  const out: number[] = [];
  for (let attempt = 0; out.length < count && attempt < 100_000; attempt++) {
    const p = Math.floor(n * (0.2 + 0.7 * random()));
    if (allowed(p) && [...taken, ...out].every((q) => Math.abs(p - q) >= gap)) out.push(p);
  }
  if (out.length < count) throw new Error(`cannot place ${count} events ${gap} apart in ${n}`);
  taken.push(...out);
  return out.sort((a, b) => a - b);
}

/** The seasonal component at time t: a sine for daily (peak at noon) and yearly (peak in July), weekends low for weekly. */
function seasonal(kind: SeasonKind, amplitude: number, t: number): number {
  switch (kind) {
    case 'daily':
      return amplitude * Math.sin(2 * Math.PI * ((t % DAY_MS) / DAY_MS - 0.25));
    case 'weekly': {
      const weekday = (new Date(t).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
      return weekday >= 5 ? -amplitude : 0.4 * amplitude;
    }
    case 'yearly':
      return amplitude * Math.sin(2 * Math.PI * ((t - START_MS) / (365.2425 * DAY_MS) - 0.3));
  }
}

function period(kind: SeasonKind, intervalMs: number): number {
  const ms = { daily: DAY_MS, weekly: 7 * DAY_MS, yearly: 365.2425 * DAY_MS }[kind];
  return Math.round(ms / intervalMs);
}

function generate(template: Template, seed: number, replicate: number): GeneratedSeries {
  const random = mulberry32(seed);
  const n = template.length;
  const level = template.level ?? 100;
  const seasons = Object.entries(template.seasons ?? {}) as Array<[SeasonKind, number]>;
  const t = Array.from({ length: n }, (_, i) => START_MS + i * template.intervalMs);
  const expected = t.map(
    (ms, i) =>
      level +
      ((template.trendPerDay ?? 0) * i * template.intervalMs) / DAY_MS +
      seasons.reduce((sum, [kind, amplitude]) => sum + seasonal(kind, amplitude, ms), 0),
  );
  const taken: number[] = [];
  const spacing = Math.max(10, Math.round(n / 10));
  const levelShifts = positions(random, n, template.levelShifts ?? 0, spacing, taken);
  const varianceChanges = positions(random, n, template.varianceChanges ?? 0, spacing, taken);
  const spikes = positions(random, n, template.spikes ?? 0, 10, taken);
  // Contextual anomalies where the cycle is at its extreme (noon; a Saturday), so that the
  // value half a cycle away differs from the expected one by a clear margin.
  const [kind] = seasons.find(([name]) => name !== 'yearly') ?? [];
  const extreme = (i: number) => {
    const at = new Date(t[i] ?? 0);
    return kind === 'daily'
      ? at.getUTCHours() === 12 && at.getUTCMinutes() === 0
      : kind === 'weekly' && at.getUTCDay() === 6;
  };
  const contextual = positions(random, n, template.contextual ?? 0, 10, taken, extreme);

  // Steps of 3–6 noise SDs, either way; spreads 2.5–4 times wider or narrower.
  let shift = 0;
  let spread = 1;
  let ar = 0;
  const y = expected.map((value, i) => {
    if (levelShifts.includes(i))
      shift += (random() < 0.5 ? -1 : 1) * (3 + 3 * random()) * template.noise;
    if (varianceChanges.includes(i))
      spread *= random() < 0.5 ? 1 / (2.5 + 1.5 * random()) : 2.5 + 1.5 * random();
    const phi = template.ar ?? 0;
    ar = phi * ar + Math.sqrt(1 - phi * phi) * gaussian(random);
    return value + shift + spread * template.noise * ar;
  });
  // Spikes and dips of 6–10 noise SDs.
  for (const i of spikes)
    y[i] = (y[i] ?? 0) + (random() < 0.5 ? -1 : 1) * (6 + 4 * random()) * template.noise;
  // A normal value at the wrong phase: the value this series has half a cycle away.
  for (const i of contextual) {
    if (kind === undefined) throw new Error(`${template.name}: contextual anomalies need a season`);
    const opposite = (t[i] ?? 0) + (kind === 'daily' ? DAY_MS / 2 : 3 * DAY_MS);
    const withoutSeason =
      (y[i] ?? 0) - seasons.reduce((s, [k, a]) => s + seasonal(k, a, t[i] ?? 0), 0);
    y[i] = withoutSeason + seasons.reduce((s, [k, a]) => s + seasonal(k, a, opposite), 0);
  }

  const truth = {
    seasons: seasons.map(([name]) => ({ name, period: period(name, template.intervalMs) })),
    trend:
      levelShifts.length > 0 || varianceChanges.length > 0
        ? null
        : Math.sign(template.trendPerDay ?? 0) > 0
          ? ('increasing' as const)
          : Math.sign(template.trendPerDay ?? 0) < 0
            ? ('decreasing' as const)
            : ('none' as const),
    levelShifts,
    varianceChanges,
    spikes,
    contextual,
  };
  const name = `${template.name} #${replicate + 1}`;
  const series = { name, intervalMs: template.intervalMs, t, y, truth };
  return template.gaps === undefined
    ? series
    : dropPoints(series, template.gaps, random, new Set(taken));
}

/** Drops a share of the points at random (never a planted one), re-indexing the truth. */
function dropPoints(
  series: GeneratedSeries,
  share: number,
  random: () => number,
  keep: ReadonlySet<number>,
): GeneratedSeries {
  const kept = series.t.map((_, i) => keep.has(i) || random() >= share);
  const newIndex: number[] = [];
  let next = 0;
  for (const k of kept) newIndex.push(k ? next++ : -1);
  const remap = (indexes: number[]) => indexes.map((i) => newIndex[i] ?? -1);
  const { truth } = series;
  return {
    ...series,
    t: series.t.filter((_, i) => kept[i]),
    y: series.y.filter((_, i) => kept[i]),
    truth: {
      ...truth,
      levelShifts: remap(truth.levelShifts),
      varianceChanges: remap(truth.varianceChanges),
      spikes: remap(truth.spikes),
      contextual: remap(truth.contextual),
    },
  };
}

/** Every template, REPLICATES times, each draw seeded from SEED, the template and the replicate. */
export function generatedSeries(seed = SEED): GeneratedSeries[] {
  return TEMPLATES.flatMap((template, k) =>
    Array.from({ length: REPLICATES }, (_, r) => generate(template, seed + 1000 * k + r, r)),
  );
}
