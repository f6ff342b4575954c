import {
  metricHeading,
  dimensionsLabel,
  formatNumber,
  formatPercent,
  formatSignedNumber,
  metricTableRows,
  NO_VALUE,
} from './report-format';
import { metricSection, statistics } from './testing/report-fixture';

describe('report number formats', () => {
  it.each([
    [1234567.891234, '1,234,567.8912'],
    [-12.5, '-12.5'],
    [0, '0'],
    [4100, '4,100'],
    [0.000123456, '0.0001235'],
    [null, NO_VALUE],
  ])('formats %p as %p', (value, text) => {
    expect(formatNumber(value)).toBe(text);
  });

  it('signs changes, and zero has no sign', () => {
    expect(formatSignedNumber(23456.789)).toBe('+23,456.789');
    expect(formatSignedNumber(-4.5)).toBe('-4.5');
    expect(formatSignedNumber(0)).toBe('0');
  });

  it('writes percentages with one decimal, small ones with two significant digits', () => {
    expect(formatPercent(23.456789)).toBe('+23.5%');
    expect(formatPercent(-0.0432)).toBe('-0.043%');
    expect(formatPercent(null)).toBe(NO_VALUE);
  });

  it('labels dimensions, and no dimensions as all', () => {
    expect(dimensionsLabel({ region: 'EU', channel: 'web' })).toBe('region: EU, channel: web');
    expect(dimensionsLabel({})).toBe('All');
  });

  it('puts the headline statistic first, with the change beside it', () => {
    const section = metricSection({
      aggregate: 'p95',
      current: statistics({ p95: 9500.25 }),
      previous: statistics({ p95: 9000 }),
      change: { absolute: 500.25, percent: 5.5583 },
    });

    const rows = metricTableRows(section);

    expect(rows[0]).toEqual({
      label: '95th percentile',
      current: '9,500.25',
      previous: '9,000',
      change: '+500.25 (+5.6%)',
      headline: true,
    });
    expect(rows.slice(1).map((row) => row.change)).toEqual(['', '', '', '', '', '']);
    expect(rows).toHaveLength(7);
  });
});

describe('metricHeading', () => {
  it('names the unit, unless it only repeats the name', () => {
    expect(metricHeading(metricSection({ name: 'revenue', unit: 'EUR' }))).toBe('revenue (EUR)');
    expect(metricHeading(metricSection({ name: 'orders', unit: 'orders' }))).toBe('orders');
    expect(metricHeading(metricSection({ name: 'orders', unit: null }))).toBe('orders');
  });
});
