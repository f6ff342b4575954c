import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_FINDINGS_PER_KIND, segmentTests, type SegmentTable } from './segment-findings';

/** A deterministic pseudo-random sequence (LCG) in [0, 1). */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 4294967296;
  };
}

/** Seattle's daily weather 2012–2015 (vega-datasets), as the segments tool reads a table. */
function seattleWeather(): SegmentTable {
  const file = join(__dirname, '..', '..', '..', '..', 'node_modules', 'vega-datasets', 'data');
  const [header, ...lines] = readFileSync(join(file, 'seattle-weather.csv'), 'utf8')
    .trim()
    .split('\n');
  const names = (header ?? '').split(',');
  const cells = lines.map((line) => line.split(','));
  const column = (name: string) => cells.map((row) => row[names.indexOf(name)] ?? '');
  return {
    categorical: [{ name: 'weather', values: column('weather') }],
    numeric: ['precipitation', 'temp_max', 'temp_min', 'wind'].map((name) => ({
      name,
      values: column(name).map(Number),
    })),
    sampled: false,
    tableRows: cells.length,
  };
}

describe('segmentTests', () => {
  it('finds that sun days are 6.4 warmer than rain days in Seattle (SciPy on the same file)', () => {
    // SciPy: mean temp_max sun 19.861875 (640 days), rain 13.454602 (641); kruskal over the
    // five levels H = 298.53007935619974 (ε² = H / 1460); mannwhitneyu(sun, rain) U = 309533.
    const result = segmentTests(seattleWeather());
    expect(result.adjustment).toBe('holm');
    expect(result.tests).toBe(4 + 6);
    const tempMax = result.findings.find(
      (f) => f.kind === 'group_difference' && f.column === 'temp_max',
    );
    expect(tempMax).toMatchObject({
      by: 'weather',
      test: 'kruskal_wallis',
      df: 4,
      n: 1461,
      levels: 5,
      highest: 'sun',
      lowest: 'rain',
      sampled: false,
    });
    expect(tempMax?.statistic).toBeCloseTo(298.53007935619974, 8);
    expect(tempMax?.effect.value).toBeCloseTo(298.53007935619974 / 1460, 10);
    expect(tempMax?.difference).toBeCloseTo(19.861875 - 13.454602184087364, 9);
    expect(tempMax?.medianDifference).toBeCloseTo(8.3, 9);
    expect(tempMax?.contrast?.n).toBe(1281);
    expect(tempMax?.contrast?.effect.value).toBeCloseTo((2 * 309533) / (640 * 641) - 1, 10);
    expect(tempMax?.groups.find((g) => g.level === 'sun')).toMatchObject({ n: 640 });
    expect(tempMax?.groups.find((g) => g.level === 'rain')).toMatchObject({ n: 641 });
    expect(tempMax?.description).toMatch(
      /^temp_max averages 6\.41 higher when weather is sun than when it is rain \(19\.9 vs 13\.5, n = 1,281\)/,
    );
    // Largest effect first: precipitation by weather (H = 1171.25) leads.
    expect(result.findings[0]).toMatchObject({ column: 'precipitation', by: 'weather' });
    // SciPy's spearmanr(temp_max, temp_min) = 0.8863477132201558; temp_min ~ wind (ρ = −0.054) is left out.
    const temps = result.findings.find((f) => f.kind === 'correlation' && f.with === 'temp_min');
    expect(temps?.effect.value).toBeCloseTo(0.8863477132201558, 10);
    expect(temps?.description).toBe(
      'temp_max and temp_min rise together: Spearman ρ = 0.886 (n = 1,461), Holm-adjusted p < 0.001.',
    );
    expect(result.findings.filter((f) => f.kind === 'correlation').map((f) => f.with)).toEqual([
      'temp_min',
      'temp_max',
      'wind',
    ]);
  });

  it('reports nothing when the labels are independent of the values', () => {
    const random = lcg(11);
    const rows = 3000;
    const table: SegmentTable = {
      categorical: ['a', 'b', 'c'].map((name) => ({
        name,
        values: Array.from({ length: rows }, () => ['x', 'y', 'z', 'w'][Math.floor(random() * 4)]),
      })),
      numeric: ['u', 'v', 'w'].map((name) => ({
        name,
        values: Array.from({ length: rows }, () => random() * 100),
      })),
      sampled: false,
      tableRows: rows,
    };
    const result = segmentTests(table);
    expect(result.tests).toBe(9 + 3);
    expect(result.findings).toEqual([]);
    expect(result.significant).toBe(0);
  });

  it('names the pair with the clearest difference, not the rarest level, and says when sampled', () => {
    const random = lcg(5);
    const levels: string[] = [];
    const values: number[] = [];
    // big_a and big_b differ by 10 over 500 rows each; rare sits 30 above big_a but has 4 rows.
    for (let i = 0; i < 1004; i++) {
      const level = i < 500 ? 'big_a' : i < 1000 ? 'big_b' : 'rare';
      levels.push(level);
      values.push((level === 'big_b' ? 10 : level === 'rare' ? 30 : 0) + random() * 20);
    }
    const [finding] = segmentTests({
      categorical: [{ name: 'group', values: levels }],
      numeric: [{ name: 'y', values }],
      sampled: true,
      tableRows: 50_000,
    }).findings;
    expect(finding).toMatchObject({ highest: 'big_b', lowest: 'big_a', sampled: true });
    expect(finding?.difference).toBeGreaterThan(8);
    expect(finding?.difference).toBeLessThan(12);
    expect(finding?.description).toContain('in a uniform sample of rows of the 50,000');
  });

  it('keeps the largest effects, at most five of each kind', () => {
    const random = lcg(3);
    const rows = 400;
    const base = Array.from({ length: rows }, () => random());
    const table: SegmentTable = {
      categorical: [],
      // Eight columns that all follow `base`: 28 strong correlations, five reported.
      numeric: Array.from({ length: 8 }, (_, k) => ({
        name: `c${k}`,
        values: base.map((b) => b + random() * 0.1 * (k + 1)),
      })),
      sampled: false,
      tableRows: rows,
    };
    const { findings, tests } = segmentTests(table);
    expect(tests).toBe(28);
    expect(findings).toHaveLength(MAX_FINDINGS_PER_KIND);
    const rhos = findings.map((f) => f.effect.value);
    expect(rhos).toEqual([...rhos].sort((a, b) => b - a));
  });

  it('keeps a perfect correlation JSON-safe (t would be infinite)', () => {
    const x = Array.from({ length: 20 }, (_, i) => i);
    const [finding] = segmentTests({
      categorical: [],
      numeric: [
        { name: 'x', values: x },
        { name: 'y', values: x.map((v) => v * v) },
      ],
      sampled: false,
      tableRows: 20,
    }).findings;
    expect(finding?.effect.value).toBe(1);
    expect(finding?.statistic).toBe(Number.MAX_VALUE);
    expect(JSON.parse(JSON.stringify(finding))).toEqual(finding);
  });

  it('tests rows with a missing value as if they were not there', () => {
    const random = lcg(8);
    const rows = 600;
    const level = Array.from({ length: rows }, (_, i) => ['a', 'b', 'c'][i % 3] ?? 'a');
    const y = level.map((l) => (l === 'a' ? 5 : 0) + random() * 10);
    const z = y.map((v) => v + random() * 5);
    const missing = (i: number) => i % 7 === 0;
    const withGaps = segmentTests({
      categorical: [{ name: 'g', values: level.map((l, i) => (i % 11 === 0 ? null : l)) }],
      numeric: [
        { name: 'y', values: y.map((v, i) => (missing(i) ? NaN : v)) },
        { name: 'z', values: z },
      ],
      sampled: false,
      tableRows: rows,
    });
    const kept = (i: number) => !missing(i) && i % 11 !== 0;
    const byHand = segmentTests({
      categorical: [{ name: 'g', values: level.filter((_, i) => kept(i)) }],
      numeric: [
        { name: 'y', values: y.filter((_, i) => kept(i)) },
        { name: 'z', values: z.filter((_, i) => kept(i)) },
      ],
      sampled: false,
      tableRows: rows,
    });
    const difference = (result: typeof byHand) =>
      result.findings.find((f) => f.kind === 'group_difference' && f.column === 'y');
    expect(difference(withGaps)?.statistic).toBeCloseTo(difference(byHand)?.statistic ?? NaN, 9);
    expect(difference(withGaps)?.n).toBe(difference(byHand)?.n);
    const correlation = withGaps.findings.find((f) => f.kind === 'correlation');
    expect(correlation?.n).toBe(rows - Math.ceil(rows / 7));
  });
});
