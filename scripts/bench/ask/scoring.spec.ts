import { type AskQuestion, cellMatches, scoreAnswer, tableContains } from './scoring';

const question = (overrides: Partial<AskQuestion> = {}): AskQuestion => ({
  id: 'q',
  dataset: 'weather',
  kind: 'single',
  question: 'average max temperature on rainy days?',
  expected: { rows: [[13.45]] },
  ...overrides,
});

describe('scoreAnswer', () => {
  it('counts a 422 as a refusal of an answerable question', () => {
    expect(scoreAnswer(question(), { status: 422 }).outcome).toBe('refused');
  });

  it('counts a 422 as correct when the data cannot answer the question', () => {
    expect(scoreAnswer(question({ expected: null }), { status: 422 }).outcome).toBe('correct');
  });

  it('counts an answer to an unanswerable question as wrong', () => {
    const verdict = scoreAnswer(question({ expected: null }), {
      status: 200,
      result: { rows: [[1]] },
    });
    expect(verdict).toEqual({
      outcome: 'wrong',
      reason: 'answered a question the data cannot answer',
    });
  });

  it('counts a server error as wrong, not refused', () => {
    expect(scoreAnswer(question(), { status: 500 }).outcome).toBe('wrong');
  });

  it('finds the expected value among extra columns', () => {
    const verdict = scoreAnswer(question(), {
      status: 200,
      result: { rows: [['rain', 1087, 13.4512]] },
    });
    expect(verdict.outcome).toBe('correct');
  });

  it('counts a different number as wrong', () => {
    expect(scoreAnswer(question(), { status: 200, result: { rows: [[14.2]] } }).outcome).toBe(
      'wrong',
    );
  });

  it('counts a 200 without result rows as wrong', () => {
    expect(scoreAnswer(question(), { status: 200 }).outcome).toBe('wrong');
  });
});

describe('cellMatches', () => {
  it.each([
    [13.45, 13.4599, true],
    [13.45, 13.51, true], // 0.5 % of 13.45 is 0.067
    [13.45, 13.6, false],
    [1000, 1004, true], // 0.4 % off
    [1000, 1006, false],
    [0.004, 0.013, true], // absolute 0.01
    [2922, '2922', true],
    [16.7691, '16.77', true],
    [12, 'twelve', false],
  ])('numbers: %p ~ %p is %p', (expected, actual, result) => {
    expect(cellMatches(expected, actual, 'single')).toBe(result);
  });

  it('compares labels case-insensitively', () => {
    expect(cellMatches('New York', 'new york ', 'group_by')).toBe(true);
    expect(cellMatches('New York', 'New York City', 'group_by')).toBe(false);
  });

  it.each([
    ['2014', '2014-01-01', true],
    ['2014', '2014-01-01T00:00:00.000Z', true],
    ['2014', 2014, true],
    ['2014', '2014-02-01', false],
    ['2014-03', '2014-03-01', true],
    ['2014-03', '2014-03-01T00:00:00+00:00', true],
    ['2014-03', '2014-03-01T08:00:00Z', false],
    ['2014-Q2', '2014-04-01', true],
    ['2014-Q2', '2014 Q2', true],
    ['2014-Q2', '2014-01-01', false],
    ['2014-03-03', '2014-03-03T00:00:00.000Z', true],
    ['Monday', 1, true],
    ['Sunday', 7, true],
    ['Sunday', 0, false],
    ['Saturday', 'sat', true],
  ])('periods: %p ~ %p is %p', (expected, actual, result) => {
    expect(cellMatches(expected, actual, 'time_bucket')).toBe(result);
  });

  it('takes a comparison label that is a word of the planner’s own label', () => {
    expect(cellMatches('2014', 'year 2014', 'comparison')).toBe(true);
    expect(cellMatches('sun', 'weather = sun', 'comparison')).toBe(true);
    expect(cellMatches('sun', 'sunny', 'comparison')).toBe(false);
    expect(cellMatches('2014', 'year 2014', 'group_by')).toBe(false);
  });

  it('matches null only with null', () => {
    expect(cellMatches(null, null, 'single')).toBe(true);
    expect(cellMatches(null, 0, 'single')).toBe(false);
    expect(cellMatches(0, null, 'single')).toBe(false);
  });
});

describe('tableContains', () => {
  const groups = [
    ['rain', 15.71],
    ['sun', 18.2],
  ];

  it('matches group rows in any order, extra rows and columns allowed', () => {
    const actual = [
      ['sun', 400, 18.2],
      ['snow', 10, 3.7],
      ['rain', 300, 15.71],
    ];
    expect(tableContains(actual, groups, 'group_by')).toBe(true);
  });

  it('needs every expected row', () => {
    expect(tableContains([['sun', 18.2]], groups, 'group_by')).toBe(false);
  });

  it('uses one column mapping for every row', () => {
    // Each row holds the values, but not in the same columns.
    const actual = [
      ['rain', 15.71, 0],
      [18.2, 'sun', 0],
    ];
    expect(tableContains(actual, groups, 'group_by')).toBe(false);
  });

  it('takes the values in whatever column order the result has', () => {
    const actual = [
      [15.71, 'rain'],
      [18.2, 'sun'],
    ];
    expect(tableContains(actual, groups, 'comparison')).toBe(true);
  });

  it('takes a comparison under labels of the planner’s own, values in the question’s order', () => {
    const expected = [
      ['2008-01', 7640],
      ['2010-01', 15125],
    ];
    const labelled = (first: string, second: string) => [
      [first, 7640],
      [second, 15125],
    ];
    expect(tableContains(labelled('Jan 2008', 'Jan 2010'), expected, 'comparison')).toBe(true);
    expect(tableContains([...labelled('a', 'b')].reverse(), expected, 'comparison')).toBe(false);
    expect(
      tableContains([...labelled('2008-01', '2010-01')].reverse(), expected, 'comparison'),
    ).toBe(true);
    expect(tableContains([[7640], [99]], expected, 'comparison')).toBe(false);
  });

  it('wants the top-N rows first and in order', () => {
    const top = [
      ['Texas', 1495],
      ['California', 890],
    ];
    expect(tableContains([...top, ['Louisiana', 618]], top, 'top_n')).toBe(true);
    expect(tableContains([top[1] ?? [], top[0] ?? []], top, 'top_n')).toBe(false);
    expect(tableContains([['Louisiana', 618], ...top], top, 'top_n')).toBe(false);
  });

  it('wants time buckets in order', () => {
    const months = [
      ['2015-01', 135],
      ['2015-02', 59.9],
    ];
    const actual = [
      ['2015-01-01', 135],
      ['2015-02-01', 59.9],
    ];
    expect(tableContains(actual, months, 'time_bucket')).toBe(true);
    expect(tableContains([...actual].reverse(), months, 'time_bucket')).toBe(false);
  });

  it('does not match a row twice', () => {
    expect(
      tableContains(
        [['a', 1]],
        [
          ['a', 1],
          ['a', 1],
        ],
        'group_by',
      ),
    ).toBe(false);
  });
});
