import { NO_FOCUS, questionFocus } from './question-focus';

const SEATTLE = [
  { name: 'date' },
  { name: 'precipitation' },
  { name: 'temp_max' },
  { name: 'temp_min' },
  { name: 'wind' },
  { name: 'weather', values: ['rain', 'sun', 'fog', 'drizzle', 'snow'] },
];
const SHOP = [
  { name: 'orderDate' },
  { name: 'region', values: ['North', 'South'] },
  { name: 'unit_price' },
  { name: 'Revenue' },
  { name: 'customer_count' },
  { name: 'review_text' },
];

describe('questionFocus', () => {
  it('reads the Seattle question: both temperatures, their trend and anomalies', () => {
    expect(
      questionFocus('How did temperatures change, and were there unusual days?', SEATTLE),
    ).toEqual({
      columns: ['temp_max', 'temp_min'],
      specialists: ['trends', 'anomalies'],
      confidence: 0.75, // temperatures, change, unusual of temperatures, change, unusual, days
      narrow: true,
    });
  });

  it.each([
    ['What is the trend in temperature?', ['temp_max', 'temp_min'], ['trends']],
    ['Did the maximum temperature rise over the years?', ['temp_max'], ['trends']],
    ['Was temp max higher than the lowest temperatures?', ['temp_max', 'temp_min'], []],
    ['Highest temperature outliers', ['temp_max'], ['anomalies']],
    ['any spikes in rainfall?', ['precipitation'], ['anomalies']],
    ['rain days with spikes', ['precipitation', 'weather'], ['anomalies']],
    ['How windy was it, anything odd?', ['wind'], ['anomalies']],
    ['precip seasonality', ['precipitation'], ['trends']],
    ['Which days stand out for wind?', ['wind'], ['anomalies']],
    ['How does temp_max differ by weather?', ['temp_max', 'weather'], ['segments']],
    ['Compare fog and sun days', ['weather'], ['segments']],
  ])('%s → %j, %j', (question, columns, specialists) => {
    const focus = questionFocus(question, SEATTLE);
    expect(focus.columns).toEqual(columns);
    expect(focus.specialists).toEqual(specialists);
  });

  it('forgives typos in column words and in cue words', () => {
    const focus = questionFocus('were there anomolies in the temprature or precipitaton?', SEATTLE);
    expect(focus.columns).toEqual(['precipitation', 'temp_max', 'temp_min']);
    expect(focus.specialists).toEqual(['anomalies']);
    // Typos are recognised less surely than exact words.
    expect(focus.confidence).toBeGreaterThan(0.5);
    expect(focus.confidence).toBeLessThan(1);
  });

  it('splits camelCase and snake_case names, and knows a few synonyms', () => {
    expect(questionFocus('How did revenue trend?', SHOP).columns).toEqual(['Revenue']);
    expect(questionFocus('How did sales trend?', SHOP).columns).toEqual(['Revenue']);
    expect(questionFocus('Are prices unusual?', SHOP).columns).toEqual(['unit_price']);
    expect(questionFocus('number of clients per region', SHOP)).toMatchObject({
      columns: ['region', 'customer_count'],
      specialists: ['segments'],
    });
    expect(questionFocus('What do customers say in their reviews?', SHOP)).toMatchObject({
      columns: ['customer_count', 'review_text'],
      specialists: ['text'],
    });
    expect(questionFocus('How do people feel about it?', SHOP).specialists).toEqual(['text']);
  });

  it('names a column by one of its frequent values', () => {
    expect(questionFocus('What happens in the north?', SHOP).columns).toEqual(['region']);
  });

  it('lets a qualifier alone select nothing: "unusual days" is not about a days column', () => {
    const columns = [{ name: 'days_open' }, { name: 'visits' }];
    expect(questionFocus('Were there unusual days?', columns)).toEqual({
      columns: [],
      specialists: ['anomalies'],
      confidence: 0.5,
      narrow: false,
    });
    // A column whose name is all qualifiers is named by all of them.
    expect(questionFocus('How did the count change?', [{ name: 'count' }]).columns).toEqual([
      'count',
    ]);
  });

  it('finds specialists without columns, and columns without specialists', () => {
    expect(questionFocus('Is anything unusual?', SEATTLE)).toMatchObject({
      columns: [],
      specialists: ['anomalies'],
      narrow: false,
    });
    expect(questionFocus('Tell me about the wind', SEATTLE)).toMatchObject({
      columns: ['wind'],
      specialists: [],
      narrow: false,
    });
    expect(questionFocus('Which values are missing?', SEATTLE).specialists).toEqual(['profile']);
  });

  it('is not narrow when most of the question is not understood', () => {
    const focus = questionFocus(
      'Given the upcoming harvest budget constraints, did wind change irrigation scheduling?',
      SEATTLE,
    );
    expect(focus.columns).toEqual(['wind']);
    expect(focus.specialists).toEqual(['trends']);
    expect(focus.confidence).toBeLessThan(0.5);
    expect(focus.narrow).toBe(false);
  });

  it('has no focus without a question or when nothing in it is recognised', () => {
    expect(questionFocus(undefined, SEATTLE)).toEqual(NO_FOCUS);
    expect(questionFocus('', SEATTLE)).toEqual(NO_FOCUS);
    expect(questionFocus('?!', SEATTLE)).toEqual(NO_FOCUS);
    expect(questionFocus('What should I cook tonight?', SEATTLE)).toEqual({
      ...NO_FOCUS,
      confidence: 0,
    });
    // Look-alike words are not typos: "whether" is not `weather`, "kind" is not `wind`.
    expect(questionFocus('whether it was kind', SEATTLE).columns).toEqual([]);
  });
});
