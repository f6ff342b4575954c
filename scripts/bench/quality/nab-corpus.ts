/**
 * The NAB corpus committed under bench/data/nab (see its SOURCE.md): every series with its
 * labelled anomaly windows, as indexes into the series.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Window } from './window-scoring';

export const NAB_DIR = join(__dirname, '..', '..', '..', 'bench', 'data', 'nab');

export interface LabelledSeries {
  /** `<category>/<file>.csv`, as the labels name it. */
  name: string;
  category: string;
  /** Epoch ms, ascending. */
  t: number[];
  y: number[];
  /** Inclusive index ranges of the labelled windows, in time order. */
  windows: Window[];
}

/** NAB's timestamps (`2014-02-19 10:50:00` in the data, `….000000` in the labels) as UTC epoch ms. */
export function nabTime(text: string): number {
  const ms = Date.parse(`${text.trim().replace(' ', 'T').slice(0, 23)}Z`);
  if (Number.isNaN(ms)) throw new Error(`not a NAB timestamp: ${text}`);
  return ms;
}

/** The first index whose time is at or after `t` (t.length when none). */
function indexAtOrAfter(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] ?? 0) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function readTimeValueCsv(path: string): { t: number[]; y: number[] } {
  const t: number[] = [];
  const y: number[] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  for (const line of lines.slice(1)) {
    if (line.trim() === '') continue;
    const comma = line.indexOf(',');
    t.push(nabTime(line.slice(0, comma)));
    y.push(Number(line.slice(comma + 1)));
  }
  return { t, y };
}

/** Every file of the corpus, sorted by name, with its windows mapped to indexes. */
export function loadNabCorpus(dir = NAB_DIR): LabelledSeries[] {
  const labels = JSON.parse(
    readFileSync(join(dir, 'labels', 'combined_windows.json'), 'utf8'),
  ) as Record<string, Array<[string, string]>>;
  const series: LabelledSeries[] = [];
  for (const category of readdirSync(join(dir, 'data')).sort()) {
    for (const file of readdirSync(join(dir, 'data', category)).sort()) {
      if (!file.endsWith('.csv')) continue;
      const name = `${category}/${file}`;
      const { t, y } = readTimeValueCsv(join(dir, 'data', category, file));
      const windows = (labels[name] ?? []).map(([start, end]) => ({
        start: indexAtOrAfter(t, nabTime(start)),
        end: indexAtOrAfter(t, nabTime(end) + 1) - 1,
      }));
      series.push({ name, category, t, y, windows });
    }
  }
  return series;
}
