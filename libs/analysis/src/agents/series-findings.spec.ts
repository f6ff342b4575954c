import { valueFindings } from './series-findings';

describe('valueFindings (a column without a time axis)', () => {
  it('maps each anomaly to its file row, with the band it fell outside and the count found', () => {
    const values = Array.from({ length: 40 }, (_, i) => (i === 17 ? 500 : 10 + (i % 7)));
    // File rows as the table gave them: row 3 was empty, so values start skipping it.
    const rows = values.map((_, i) => (i < 2 ? i + 1 : i + 2));
    const found = valueFindings('reading', values, rows, 20);
    expect(found.anomalies).toEqual([
      expect.objectContaining({
        column: 'reading',
        row: 19,
        value: 500,
        kind: 'value',
        time: null,
      }),
    ]);
    const [anomaly] = found.anomalies;
    expect(anomaly.band?.high).toBeLessThan(500);
    expect(anomaly.band?.low).toBeLessThan(anomaly.expected ?? NaN);
    expect(found.anomalyColumn).toEqual({
      column: 'reading',
      found: 1,
      reported: 1,
      truncated: false,
      distribution: 'symmetric',
    });
  });

  it('takes zeros as the normal state of a zero-inflated column: rainy days are not anomalies', () => {
    // 60 % dry days, rain between 1 and 12 mm, and one cloudburst of 80 mm.
    const values = Array.from({ length: 200 }, (_, i) =>
      i === 150 ? 80 : i % 5 < 3 ? 0 : 1 + ((i * 7) % 12),
    );
    const rows = values.map((_, i) => i + 1);
    const found = valueFindings('precipitation', values, rows, 20);
    expect(found.anomalyColumn.distribution).toBe('zero_inflated');
    expect(found.anomalies.map((a) => [a.row, a.value])).toEqual([[151, 80]]);
  });

  it('cuts the list at max, highest scores first, and says how many there were', () => {
    const values = Array.from({ length: 100 }, (_, i) => (i % 20 === 0 ? 1000 + i : 50 + (i % 9)));
    const rows = values.map((_, i) => i + 1);
    const found = valueFindings('load', values, rows, 2);
    expect(found.anomalies).toHaveLength(2);
    expect(found.anomalyColumn).toMatchObject({ found: 5, reported: 2, truncated: true });
    expect(found.anomalies[0].score).toBeGreaterThanOrEqual(found.anomalies[1].score);
  });
});
