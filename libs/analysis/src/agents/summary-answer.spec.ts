import { questionFocus } from '../planning/question-focus';
import { numbersIn, numbersNotFromTools } from '../guardrails/tool-numbers';
import type { Anomaly } from './anomalies-agent';
import { answerSentence, type Asked } from './summary-answer';
import { composeSummary } from './summary-agent';
import type { SpecialistResults } from './summary-inputs';
import type { Trend } from './trends-agent';

const COLUMNS = [
  { name: 'date' },
  { name: 'precipitation' },
  { name: 'temp_max' },
  { name: 'temp_min' },
  { name: 'weather' },
];
const NUMERIC = ['precipitation', 'temp_max', 'temp_min'];

function trend(column: string, pValue: number, slopePerDay: number | null = null): Trend {
  const direction = pValue >= 0.05 ? 'none' : (slopePerDay ?? 0) > 0 ? 'increasing' : 'decreasing';
  return {
    column,
    timeColumn: 'date',
    n: 1461,
    method: column === 'temp_max' ? 'seasonal-mann-kendall' : 'mann-kendall',
    slopePerDay,
    z: 1.65,
    pValue,
    direction,
    deseasonalised: column === 'temp_max',
    toolCallId: `call_${column}`,
  };
}

function anomaly(column: string, row: number, value: number, score: number): Anomaly {
  return {
    column,
    row,
    value,
    basis: 'remainder',
    kind: 'spike',
    time: null,
    expected: null,
    band: null,
    score,
    reason: 'far',
    toolCallId: null,
  };
}

const RESULTS: SpecialistResults = {
  profile: { rowCount: 1461, issues: [] } as unknown as SpecialistResults['profile'],
  trends: {
    trends: [
      trend('precipitation', 0.0312, 0.00421),
      trend('temp_max', 0.0990123),
      trend('temp_min', 0.0123456, -0.00087654),
    ],
    seasonality: [
      {
        column: 'temp_max',
        timeColumn: 'date',
        name: 'yearly',
        period: 365,
        periodMs: 365 * 86_400_000,
        strength: 0.8123,
        profile: [
          { label: 'Jan', mean: 8.2012 },
          { label: 'Aug', mean: 26.0987 },
          { label: 'Dec', mean: 8.1999 },
        ],
        description:
          'temp_max follows a yearly cycle (strength 0.812): monthly means from 8.2 in Jan and Dec to 26.1 in Aug',
        toolCallId: 'call_temp_max',
      },
    ],
    changePoints: [],
  },
  anomalies: {
    anomalies: [
      anomaly('precipitation', 12, 55.9, 14.2),
      anomaly('temp_max', 200, 35.61, 4.1),
      anomaly('temp_max', 201, 34.4, 3.9),
    ],
    anomalyColumns: [
      {
        column: 'precipitation',
        found: 1,
        reported: 1,
        truncated: false,
        distribution: null,
        toolCallId: null,
      },
      {
        column: 'temp_max',
        found: 2,
        reported: 2,
        truncated: false,
        distribution: null,
        toolCallId: null,
      },
    ],
  },
  failed: [],
};

const ask = (question: string): Asked => ({
  question,
  focus: questionFocus(question, COLUMNS),
  numericColumns: NUMERIC,
});

describe('answerSentence', () => {
  it('answers the trend and the anomalies of the columns asked about, in the order asked', () => {
    expect(
      answerSentence(RESULTS, ask('How did temperatures change, and were there unusual days?')),
    ).toBe(
      'temp_max follows a yearly cycle (monthly means from 8.2 in Jan and Dec to 26.1 in Aug) ' +
        'with no significant trend once it is taken out (p = 0.099) and ' +
        'temp_min falls over date by about 0.000877 per day (p = 0.0123); ' +
        '2 unusual rows in temp_max (the farthest: 35.6 at row 200), none in temp_min.',
    );
    expect(answerSentence(RESULTS, ask('Any outliers in the max temperature? Trend?'))).toBe(
      '2 unusual rows in temp_max (the farthest: 35.6 at row 200); ' +
        'temp_max follows a yearly cycle (monthly means from 8.2 in Jan and Dec to 26.1 in Aug) ' +
        'with no significant trend once it is taken out (p = 0.099).',
    );
  });

  it('speaks of every specialist for a column, and of every column for a specialist', () => {
    expect(answerSentence(RESULTS, ask('What about rain?'))).toBe(
      'precipitation rises over date by about 0.00421 per day (p = 0.0312); ' +
        '1 unusual row in precipitation (the farthest: 55.9 at row 12); no data-quality issues.',
    );
    expect(answerSentence(RESULTS, ask('Anything unusual?'))).toBe(
      '1 unusual row in precipitation (the farthest: 55.9 at row 12) and ' +
        '2 unusual rows in temp_max (the farthest: 35.6 at row 200).',
    );
  });

  it('says nothing when the question names nothing, or only what did not run', () => {
    expect(answerSentence(RESULTS, undefined)).toBeUndefined();
    expect(answerSentence(RESULTS, ask('What should I cook tonight?'))).toBeUndefined();
    expect(answerSentence({ failed: [] }, ask('Did temperatures change?'))).toBeUndefined();
    // `weather` is not numeric: the anomaly scan did not look at it, so it says nothing of it.
    expect(answerSentence(RESULTS, ask('Unusual weather?'))).toBeUndefined();
  });
});

describe('composeSummary with a question', () => {
  it('opens with the answer, puts its insights first, and shows only the results’ numbers', () => {
    const asked = ask('Were there unusual temperatures?');
    const summary = composeSummary(RESULTS, asked);
    expect(summary.narrative).toMatch(
      /^2 unusual rows in temp_max \(the farthest: 35\.6 at row 200\), none in temp_min\. Analysed: /,
    );
    expect(summary.insights[0]?.title).toBe('2 anomalies in temp_max');
    expect(summary.narrative).toContain('Most notable: 2 anomalies in temp_max.');
    // Every number shown is one of the specialists' (as the guardrail reads them), or a count.
    const shown = numbersIn(summary.narrative);
    const counts = ['1461', '2', '3', '0'];
    expect(numbersNotFromTools(shown, [JSON.stringify(RESULTS), ...counts])).toEqual([]);
  });

  it('opens with the answer its query gave, then the specialists’ answer', () => {
    const text = 'Over the 641 rows where weather = rain, the average temp_max is 13.45.';
    const summary = composeSummary(RESULTS, ask('Were there unusual temperatures?'), { text });
    expect(summary.narrative).toMatch(
      /^Over the 641 rows where weather = rain, the average temp_max is 13\.45\. 2 unusual rows in temp_max .*\. Analysed: /,
    );
  });

  it('is as before without a question', () => {
    const summary = composeSummary(RESULTS);
    expect(summary.narrative).toMatch(/^Analysed: 1461 rows/);
    expect(summary.insights[0]?.source).toBe('trends');
  });
});
