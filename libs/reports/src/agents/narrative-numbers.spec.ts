import { metricSection, reportContent, statistics } from '../documents/testing/report-fixture';
import { numbersNotInTables, tableNumbers } from './narrative-numbers';

// Sum 123,456.789 against 100,000: +23,456.789 (+23.5%); a p95 of 0.001235 against 0.002.
const content = reportContent({
  metrics: [
    metricSection({ name: 'revenue', unit: 'EUR', dimensions: { region: 'eu-west-1' } }),
    metricSection({
      name: 'p95 latency 2xx',
      unit: 's',
      dimensions: {},
      aggregate: 'p95',
      current: statistics({ p95: 0.00123456 }),
      previous: statistics({ p95: 0.002 }),
      change: { absolute: -0.00076544, percent: -38.272 },
    }),
    metricSection({
      name: 'conversion',
      unit: '%',
      dimensions: {},
      aggregate: 'avg',
      current: statistics({ average: 3.2 }),
      previous: statistics({ average: 2.8 }),
      change: { absolute: 0.4, percent: 14.2857 },
    }),
  ],
});
const tables = tableNumbers(content);
const invented = (text: string) => numbersNotInTables(text, tables);

describe('numbersNotInTables', () => {
  it('accepts the numbers as the tables write them: separators, signs, per cent', () => {
    expect(
      invented(
        'revenue (EUR) [region: eu-west-1] rose to a total of 123,456.789 from 100,000, ' +
          'a change of +23,456.789 (+23.5%). p95 latency 2xx (s) fell to 0.001235 from 0.002, ' +
          'a change of -0.0007654 (-38.3%). conversion (%) rose to 3.2 from 2.8, a change of +0.4 (+14.3%).',
      ),
    ).toEqual([]);
  });

  it('accepts the same values rounded, without signs, or in other common renderings', () => {
    expect(
      invented(
        'Revenue grew 23,457 to about 123.5k, up 23.5 per cent; it was 100k before (0.1 million). ' +
          'Latency fell 38%, down 0.00077; conversion is 3.2% after 2.80%, up 0.4 percentage points.',
      ),
    ).toEqual([]);
  });

  it('refuses a number the tables do not hold, and says which', () => {
    expect(invented('revenue rose 37%')).toEqual(['37%']);
    expect(invented('revenue rose 23.4% to 123,000')).toEqual(['23.4%', '123,000']);
    // At two decimals +23.456789% is 23.46: 23.47 is another number.
    expect(invented('a change of 23.47%')).toEqual(['23.47%']);
  });

  it('keeps per cents and values apart', () => {
    // 23,456.789 is the absolute change, 14.3% a per-cent one: neither in the other's place.
    expect(invented('revenue rose 23,456.789%')).toEqual(['23,456.789%']);
    expect(invented('conversion rose 14.3')).toEqual(['14.3']);
  });

  it('holds numbers written as words to the same rule', () => {
    expect(invented('revenue rose thirty-seven per cent')).toEqual(['thirty', 'seven']);
    expect(invented('the one before')).toEqual([]);
  });

  it('reads digits inside names, units and filters as names, not numbers', () => {
    expect(invented('p95 latency 2xx and eu-west-1')).toEqual([]);
    expect(invented('p96 latency and eu-west-2')).toEqual(['96', '2']);
  });
});
