import type { PlannerDataset } from './plan';
import { planQuestion } from './builtin-planner';

type Type = PlannerDataset['columns'][number]['type'];
function dataset(name: string, columns: Array<[string, Type, string[]?]>): PlannerDataset {
  return {
    name,
    columns: columns.map(([column, type]) => ({ name: column, type })),
    profile: columns.map(([column, type, top = []]) => ({
      name: column,
      type,
      distinctCount: top.length > 0 ? top.length : 1000,
      min: null,
      max: null,
      topValues: top.map((value) => ({ value, count: 1 })),
    })),
  };
}

const weather = dataset('seattle-weather', [
  ['date', 'date'],
  ['precipitation', 'number'],
  ['temp_max', 'number'],
  ['temp_min', 'number'],
  ['wind', 'number'],
  ['weather', 'string', ['sun', 'rain', 'fog', 'drizzle', 'snow']],
]);
const cars = dataset('cars', [
  ['Name', 'string'],
  ['Miles_per_Gallon', 'number'],
  ['Cylinders', 'integer'],
  ['Horsepower', 'integer'],
  ['Weight_in_lbs', 'integer'],
  ['Year', 'date'],
  ['Origin', 'string', ['USA', 'Europe', 'Japan']],
]);

function queryOf(question: string, data: PlannerDataset = weather) {
  const plan = planQuestion(question, data);
  if (plan.kind !== 'planned') throw new Error(`refused: ${plan.reason}`);
  return plan.query;
}

describe('planQuestion', () => {
  it('reads a filtered aggregate: adjective values, column words and synonyms', () => {
    expect(queryOf('What was the average maximum temperature on rainy days?')).toEqual({
      measures: [{ agg: 'count' }, { agg: 'avg', column: 'temp_max' }],
      filters: [{ column: 'weather', op: 'eq', value: 'rain' }],
    });
    expect(queryOf('What is the average horsepower of cars from Japan?', cars)).toEqual({
      measures: [{ agg: 'count' }, { agg: 'avg', column: 'Horsepower' }],
      filters: [{ column: 'Origin', op: 'eq', value: 'Japan' }],
    });
  });

  it('takes a column written as it is named, and "highest"/"lowest" as the extreme', () => {
    expect(queryOf('median temp_min')).toEqual({
      measures: [{ agg: 'median', column: 'temp_min' }],
    });
    expect(queryOf('What was the highest temperature?')).toEqual({
      measures: [{ agg: 'max', column: 'temp_max' }],
    });
    expect(queryOf('lowest temperature in March 2014')).toEqual({
      measures: [{ agg: 'count' }, { agg: 'min', column: 'temp_min' }],
      filters: [{ column: 'date', op: 'between', from: '2014-03-01', to: '2014-03-31' }],
    });
  });

  it('counts rows, with comparisons of a number column', () => {
    expect(queryOf('How many cars have more than 6 cylinders?', cars)).toEqual({
      measures: [{ agg: 'count' }],
      filters: [{ column: 'Cylinders', op: 'gt', value: 6 }],
    });
    expect(queryOf('how many days had a max temperature between 20 and 25?')).toEqual({
      measures: [{ agg: 'count' }],
      filters: [{ column: 'temp_max', op: 'between', from: 20, to: 25 }],
    });
    expect(queryOf('how many different weather types are there?')).toEqual({
      measures: [{ agg: 'count_distinct', column: 'weather' }],
    });
  });

  it('groups by a column or a time bucket, summing what adds up and averaging the rest', () => {
    expect(queryOf('total precipitation by month')).toEqual({
      measures: [{ agg: 'sum', column: 'precipitation' }],
      groupBy: [{ column: 'date', bucket: 'month' }],
    });
    expect(queryOf('average miles per gallon per year', cars)).toEqual({
      measures: [{ agg: 'avg', column: 'Miles_per_Gallon' }],
      groupBy: [{ column: 'Year', bucket: 'year' }],
    });
    expect(queryOf('which month had the most precipitation')).toMatchObject({
      measures: [{ agg: 'sum', column: 'precipitation' }],
      orderBy: [{ by: 'sum_precipitation', direction: 'desc' }],
      limit: 1,
    });
    expect(queryOf('which origin has the highest average weight?', cars)).toMatchObject({
      groupBy: [{ column: 'Origin' }],
      orderBy: [{ by: 'avg_Weight_in_lbs', direction: 'desc' }],
    });
  });

  it('lists the top rows with their labels', () => {
    expect(queryOf('what are the 3 heaviest cars?', cars)).toEqual({
      select: ['Year', 'Name', 'Weight_in_lbs'],
      orderBy: [{ by: 'Weight_in_lbs', direction: 'desc' }],
      limit: 3,
    });
  });

  it('compares two values or two periods', () => {
    expect(queryOf('average temp_max in 2014 vs 2015').compare?.groups.map((g) => g.label)).toEqual(
      ['2014', '2015'],
    );
    expect(queryOf('average temp_max on sunny days compared with rainy days').compare).toEqual({
      groups: [
        { label: 'sun', filters: [{ column: 'weather', op: 'eq', value: 'sun' }] },
        { label: 'rain', filters: [{ column: 'weather', op: 'eq', value: 'rain' }] },
      ],
    });
  });

  it('answers a share by the whole column, not within the filtered rows', () => {
    expect(queryOf('what share of days were sunny?')).toEqual({
      measures: [{ agg: 'share' }],
      groupBy: [{ column: 'weather' }],
    });
  });

  it('reads weekends, weekdays by name and a month of any year as calendar parts', () => {
    expect(queryOf('average temp_max on weekends').filters).toEqual([
      { column: 'date', op: 'calendar', part: 'weekday', values: [6, 7] },
    ]);
    expect(queryOf('average wind on Mondays').filters).toEqual([
      { column: 'date', op: 'calendar', part: 'weekday', values: [1] },
    ]);
    expect(queryOf('how many rainy days in March').filters).toEqual([
      { column: 'weather', op: 'eq', value: 'rain' },
      { column: 'date', op: 'calendar', part: 'month', values: [3] },
    ]);
    expect(queryOf('average wind by weekday').groupBy).toEqual([
      { column: 'date', bucket: 'weekday' },
    ]);
  });

  it('counts back from the data for "the last 30 days"', () => {
    expect(queryOf('average temp_min in the last 30 days').filters).toEqual([
      { column: 'date', op: 'last', amount: 30, unit: 'day' },
    ]);
  });

  it('refuses what it does not understand, naming the words and the columns', () => {
    const humidity = planQuestion('what is the average humidity?', weather);
    expect(humidity).toMatchObject({ kind: 'refused', notUnderstood: ['humidity'] });
    expect(humidity.kind === 'refused' && humidity.columns).toContain('temp_max');
    expect(planQuestion('is this good?', weather)).toMatchObject({
      kind: 'refused',
      notUnderstood: ['good'],
    });
    expect(planQuestion('weather', weather)).toMatchObject({ kind: 'refused' });
  });

  it('refuses an ambiguous column rather than picking one', () => {
    expect(planQuestion('temperature by weather on rainy days', weather)).toMatchObject({
      kind: 'refused',
    });
  });
  describe('beyond the first dataset', () => {
    const strikes = dataset('birdstrikes', [
      ['Flight Date', 'date'],
      ['Origin State', 'string', ['Texas', 'California']],
      ['Time of day', 'string', ['Day', 'Night']],
      ['Cost Total $', 'integer'],
    ]);
    const countries = dataset('gapminder', [
      ['year', 'integer'],
      ['country', 'string', ['China', 'India']],
      ['pop', 'integer'],
      ['life_expect', 'number'],
    ]);
    const power = dataset('iowa-electricity', [
      ['year', 'date'],
      ['source', 'string', ['Fossil Fuels', 'Nuclear Energy', 'Renewables']],
      ['net_generation', 'integer'],
    ]);

    it('reads the noun of a one-word dataset name as its rows, typos too', () => {
      expect(queryOf('how many bird strikes in Texas?', strikes)).toEqual({
        measures: [{ agg: 'count' }],
        filters: [{ column: 'Origin State', op: 'eq', value: 'Texas' }],
      });
      expect(queryOf('number of srtikes per year', strikes)).toEqual({
        measures: [{ agg: 'count' }],
        groupBy: [{ column: 'Flight Date', bucket: 'year' }],
      });
    });

    it('reads a year kept as a number, and counts distinct values of a text column', () => {
      expect(queryOf('average life expectancy in 2005', countries)).toEqual({
        measures: [{ agg: 'count' }, { agg: 'avg', column: 'life_expect' }],
        filters: [{ column: 'year', op: 'eq', value: 2005 }],
      });
      expect(queryOf('how many countries are there?', countries)).toEqual({
        measures: [{ agg: 'count_distinct', column: 'country' }],
      });
      expect(queryOf('total population of all countries in 1955', countries)).toEqual({
        measures: [{ agg: 'count' }, { agg: 'sum', column: 'pop' }],
        filters: [{ column: 'year', op: 'eq', value: 1955 }],
      });
    });

    it('finds a value by its first word, and leaves open periods open', () => {
      expect(queryOf('nuclear generation since 2010', power)).toEqual({
        measures: [{ agg: 'count' }, { agg: 'sum', column: 'net_generation' }],
        filters: [
          { column: 'source', op: 'eq', value: 'Nuclear Energy' },
          { column: 'year', op: 'gte', value: '2010-01-01' },
        ],
      });
    });

    it('reads one day, however it is written', () => {
      for (const day of ['2014-07-04', 'July 4th 2014', 'july 4 2014', '4 July 2014']) {
        expect(queryOf(`average temp_max on ${day}`).filters).toEqual([
          { column: 'date', op: 'between', from: '2014-07-04', to: '2014-07-04' },
        ]);
      }
    });
  });
});
