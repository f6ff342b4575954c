/**
 * The latency half of `npm run bench -- ask`: a generated dataset of 1,000,000 rows and,
 * for each question kind, questions asked over HTTP next to the same aggregate written by
 * hand in SQL and run directly through `pg` — the floor a compiled query can reach, and
 * an answer that the HTTP one is scored against.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { lcg } from '../analysis.bench';
import type { QuestionKind } from './scoring';

const START_MS = Date.UTC(2022, 0, 1);
const MINUTE_MS = 60_000;
const REGIONS = ['north', 'south', 'east', 'west', 'central'];
const CHANNELS = ['web', 'store', 'phone', 'partner'];
const PRODUCTS = ['anvil', 'bolt', 'cog', 'drill', 'easel', 'funnel', 'gasket', 'hinge'];
/**
 * Groups differ by more than the scorer's 0.5 % tolerance (a product's price, a region's
 * factor, a channel's latency), so a top-N or a group-by answer is told apart from a wrong one.
 */
const PRICES = [5, 8, 12, 15, 20, 25, 30, 40];
const REGION_FACTORS = [1, 0.9, 1.1, 0.95, 1.05];
const CHANNEL_LATENCY_MS = [0, 60, 120, 30];

/**
 * One row a minute from 2022-01-01 (`at`, so 1M rows reach late 2023), three categories
 * (`region`, `channel`, `product`) and three numbers (`sales`, `units`, `latency_ms`).
 */
export async function generateLatencyCsv(path: string, rows: number): Promise<void> {
  const random = lcg(20_260_101);
  const pick = (count: number) => Math.floor(random() * count);
  const out = createWriteStream(path);
  out.write('at,region,channel,product,sales,units,latency_ms\n');
  let chunk = '';
  for (let row = 0; row < rows; row++) {
    const at = new Date(START_MS + row * MINUTE_MS).toISOString();
    const region = pick(REGIONS.length);
    const channel = pick(CHANNELS.length);
    const product = pick(PRODUCTS.length);
    const units = 1 + Math.floor(random() * 9);
    const price = (PRICES[product] ?? 10) * (REGION_FACTORS[region] ?? 1);
    const sales = units * price * (0.8 + 0.4 * random());
    const latency = Math.round(
      20 + (CHANNEL_LATENCY_MS[channel] ?? 0) + 400 * random() * random() * random(),
    );
    chunk +=
      `${at},${REGIONS[region]},${CHANNELS[channel]},${PRODUCTS[product]},` +
      `${sales.toFixed(2)},${units},${latency}\n`;
    if (chunk.length >= 256 * 1024) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

export interface LatencyQuestion {
  kind: QuestionKind;
  question: string;
  /**
   * The same aggregate by hand, over `table` with the dataset's column identifiers (`col`
   * maps a column name to its quoted identifier); it returns the expected rows.
   */
  sql: (table: string, col: (name: string) => string) => string;
}

interface Measure {
  words: string;
  sql: (column: string) => string;
}

const MEASURES: readonly Measure[] = [
  { words: 'average', sql: (c) => `avg(${c})` },
  { words: 'total', sql: (c) => `sum(${c})` },
  { words: 'highest', sql: (c) => `max(${c})` },
  { words: 'lowest', sql: (c) => `min(${c})` },
  { words: 'median', sql: (c) => `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${c})` },
  { words: '90th percentile of', sql: (c) => `percentile_cont(0.9) WITHIN GROUP (ORDER BY ${c})` },
  { words: '95th percentile of', sql: (c) => `percentile_cont(0.95) WITHIN GROUP (ORDER BY ${c})` },
];
/** What a top-N ranks groups by. */
const RANKINGS: readonly Measure[] = [
  { words: 'average', sql: (c) => `avg(${c})` },
  { words: 'total', sql: (c) => `sum(${c})` },
  { words: 'median', sql: (c) => `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${c})` },
];
const NUMBERS = [
  { name: 'sales', words: 'sales' },
  { name: 'units', words: 'units' },
  { name: 'latency_ms', words: 'latency' },
];
const DIMENSIONS = [
  { name: 'region', words: 'region', plural: 'regions' },
  { name: 'channel', words: 'channel', plural: 'channels' },
  { name: 'product', words: 'product', plural: 'products' },
];
const PERIODS = [
  { words: 'month', trunc: 'month', format: 'YYYY-MM' },
  { words: 'quarter', trunc: 'quarter', format: 'YYYY-"Q"Q' },
  { words: 'year', trunc: 'year', format: 'YYYY' },
  { words: 'week', trunc: 'week', format: 'YYYY-MM-DD' },
];
/** Conditions a person names, each with its SQL. */
const CONDITIONS: ReadonlyArray<{
  words: string;
  sql: (col: (name: string) => string) => string;
}> = [
  ...REGIONS.map((region) => ({
    words: `in the ${region} region`,
    sql: (col: (name: string) => string) => `${col('region')} = '${region}'`,
  })),
  ...CHANNELS.map((channel) => ({
    words: `through the ${channel} channel`,
    sql: (col: (name: string) => string) => `${col('channel')} = '${channel}'`,
  })),
  {
    words: 'in March 2023',
    sql: (col) =>
      `${col('at')} >= '2023-03-01T00:00:00Z' AND ${col('at')} < '2023-04-01T00:00:00Z'`,
  },
  {
    words: 'in 2022',
    sql: (col) =>
      `${col('at')} >= '2022-01-01T00:00:00Z' AND ${col('at')} < '2023-01-01T00:00:00Z'`,
  },
];
const PAIRS: ReadonlyArray<[string, string, string]> = [
  ['region', 'north', 'south'],
  ['channel', 'web', 'store'],
  ['product', 'anvil', 'bolt'],
  ['region', 'east', 'west'],
  ['channel', 'phone', 'partner'],
];

const nth = <T>(values: readonly T[], index: number): T => values[index % values.length];

/**
 * `perKind` questions of each kind, varied over measures, columns, conditions and periods
 * (no two alike, so an answer cache cannot make them fast).
 */
export function latencyQuestions(perKind: number): LatencyQuestion[] {
  const questions: LatencyQuestion[] = [];
  for (let i = 0; i < perKind; i++) {
    const measure = nth(MEASURES, i);
    const number = nth(NUMBERS, Math.floor(i / MEASURES.length));
    const dimension = nth(DIMENSIONS, i);
    const condition = nth(CONDITIONS, i);
    const period = nth(PERIODS, i);
    const pair = nth(PAIRS, i);
    const aggregate = (col: (name: string) => string) => measure.sql(col(number.name));
    // Top-N: every (dimension, number, measure) once for the first 27, then N and direction.
    const ranked = nth(DIMENSIONS, i % 3);
    const rankedNumber = nth(NUMBERS, Math.floor(i / 3));
    const rankedBy = nth(RANKINGS, Math.floor(i / 9));
    const n = 2 + (i % 2);
    const highest = i % 4 !== 3;
    questions.push(
      {
        kind: 'single',
        question: `What is the ${measure.words} ${number.words}?`,
        sql: (table, col) => `SELECT ${aggregate(col)} FROM ${table}`,
      },
      {
        kind: 'filtered',
        question: `${measure.words} ${number.words} ${condition.words}`,
        sql: (table, col) => `SELECT ${aggregate(col)} FROM ${table} WHERE ${condition.sql(col)}`,
      },
      {
        kind: 'group_by',
        question: `${measure.words} ${number.words} by ${dimension.words}`,
        sql: (table, col) =>
          `SELECT ${col(dimension.name)}, ${aggregate(col)} FROM ${table} GROUP BY 1 ORDER BY 1`,
      },
      {
        kind: 'top_n',
        question: `Which ${n} ${ranked.plural} had the ${highest ? 'highest' : 'lowest'} ${rankedBy.words} ${rankedNumber.words}?`,
        sql: (table, col) =>
          `SELECT ${col(ranked.name)}, ${rankedBy.sql(col(rankedNumber.name))} FROM ${table} ` +
          `GROUP BY 1 ORDER BY 2 ${highest ? 'DESC' : 'ASC'} LIMIT ${n}`,
      },
      {
        kind: 'time_bucket',
        question: `${measure.words} ${number.words} per ${period.words}`,
        // Grouped by the truncated timestamp, formatted after: grouping by the text label
        // costs PostgreSQL more, and the baseline is meant to be the floor.
        sql: (table, col) => {
          const bucket = `date_trunc('${period.trunc}', ${col('at')})`;
          return (
            `SELECT to_char(${bucket}, '${period.format}'), ${aggregate(col)} ` +
            `FROM ${table} GROUP BY ${bucket} ORDER BY ${bucket}`
          );
        },
      },
      {
        kind: 'comparison',
        question: `${measure.words} ${number.words}: ${pair[1]} vs ${pair[2]}`,
        // One scan with FILTER: the cheapest way to the two numbers, so a fair floor.
        sql: (table, col) =>
          `SELECT ${[pair[1], pair[2]]
            .map((value) => `${aggregate(col)} FILTER (WHERE ${col(pair[0])} = '${value}')`)
            .join(', ')} FROM ${table}`,
      },
    );
  }
  // The generated phrasings collide only if perKind outgrows the lists; keep them distinct.
  const seen = new Set<string>();
  return questions.filter((q) => !seen.has(q.question) && seen.add(q.question));
}

/** A comparison's one-row FILTER result as the two rows [label, value] a planner returns. */
export function comparisonRows(question: string, row: unknown[]): unknown[][] {
  const labels = /: (\S+) vs (\S+)$/.exec(question);
  return [
    [labels?.[1] ?? 'first', row[0]],
    [labels?.[2] ?? 'second', row[1]],
  ];
}
