import {
  metricSection,
  NO_STATISTICS as NONE,
  reportContent,
  statistics,
} from '../documents/testing/report-fixture';
import { draftNarrative, narrativeFigures } from './narrative-draft';

describe('narrativeFigures', () => {
  it("gives each metric's headline row as its table shows it", () => {
    const content = reportContent();
    expect(narrativeFigures(content)).toEqual([
      {
        metric: 'Umsatz €, Größe, Ω (EUR)',
        filter: 'region: Süd, channel: web',
        statistic: 'Sum',
        thisPeriod: '123,456.789',
        previousPeriod: '100,000',
        change: '+23,456.789 (+23.5%)',
      },
      {
        metric: 'Active users',
        filter: 'All',
        statistic: 'Average',
        thisPeriod: '3,982.4771',
        previousPeriod: '3,571.43',
        change: '-4.5',
      },
    ]);
  });
});

describe('draftNarrative', () => {
  it('leads with the largest move, then groups the metrics by where they went', () => {
    const content = reportContent({
      metrics: [
        metricSection({ name: 'revenue', unit: 'EUR', dimensions: { region: 'eu' } }),
        metricSection({
          name: 'orders',
          unit: null,
          dimensions: {},
          aggregate: 'count',
          current: statistics({ count: 40 }),
          previous: statistics({ count: 50 }),
          change: { absolute: -10, percent: -20 },
        }),
        metricSection({
          name: 'latency',
          unit: 'ms',
          dimensions: {},
          aggregate: 'avg',
          current: statistics({ average: 12 }),
          previous: statistics({ average: 12 }),
          change: { absolute: 0, percent: 0 },
        }),
        metricSection({
          name: 'refunds',
          unit: null,
          dimensions: {},
          aggregate: 'max',
          previous: NONE,
          change: { absolute: null, percent: null },
        }),
        metricSection({
          name: 'signups',
          unit: null,
          dimensions: {},
          aggregate: 'last',
          current: NONE,
          change: { absolute: null, percent: null },
        }),
      ],
    });
    expect(draftNarrative(content)).toBe(
      'The largest change was in revenue (EUR) [region: eu], at +23.5%. ' +
        'revenue (EUR) [region: eu] rose to a total of 123,456.789 from 100,000, a change of +23,456.789 (+23.5%). ' +
        'orders fell to a count of 40 from 50, a change of -10 (-20%). ' +
        'latency (ms) held at an average of 12. ' +
        'refunds came to a maximum of 9,876.5432, with no data the period before. ' +
        'signups had no data in this period, after a last value of 4,100 in the one before.',
    );
  });

  it('joins the metrics that went the same way into one sentence, without a lead for one move', () => {
    const content = reportContent({
      metrics: [
        metricSection({ name: 'a', unit: null, dimensions: {} }),
        metricSection({
          name: 'b',
          unit: null,
          dimensions: {},
          change: { absolute: 5, percent: null },
        }),
      ],
    });
    expect(draftNarrative(content)).toBe(
      'a rose to a total of 123,456.789 from 100,000, a change of +23,456.789 (+23.5%); ' +
        'b rose to a total of 123,456.789 from 100,000, a change of +5.',
    );
  });
});
