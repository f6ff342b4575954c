import { columnParts, editDistance, isTypo, singular, wordsOf } from './question-words';

describe('question words', () => {
  it('splits a question into lower-case words', () => {
    expect(wordsOf("How did the day's Temp_Max change?")).toEqual([
      'how',
      'did',
      'the',
      'days',
      'temp',
      'max',
      'change',
    ]);
    expect(wordsOf('  ?! ')).toEqual([]);
  });

  it('splits column names on case, separators and digits', () => {
    expect(columnParts('temp_max')).toEqual(['temp', 'max']);
    expect(columnParts('unitPrice')).toEqual(['unit', 'price']);
    expect(columnParts('PM2.5 level')).toEqual(['pm', '2', '5', 'level']);
    expect(columnParts('Revenue')).toEqual(['revenue']);
  });

  it('makes plurals singular and leaves other words alone', () => {
    expect(['temperatures', 'categories', 'boxes', 'days', 'sales'].map(singular)).toEqual([
      'temperature',
      'category',
      'box',
      'day',
      'sale',
    ]);
    expect(['status', 'analysis', 'news', 'gas', 'glass', 'wind'].map(singular)).toEqual([
      'status',
      'analysis',
      'news',
      'gas',
      'glass',
      'wind',
    ]);
  });

  it('counts edits, a swap of neighbours as one, and stops past the limit', () => {
    expect(editDistance('temperature', 'temprature')).toBe(1);
    expect(editDistance('anomalies', 'anomolies')).toBe(1);
    expect(editDistance('wind', 'wnid')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting', 1)).toBe(2);
    expect(editDistance('a', 'abcdef', 2)).toBe(3);
  });

  it('calls a typo one edit in 5–7 letters, two from 8, and nothing shorter', () => {
    expect(isTypo('precipitaton', 'precipitation')).toBe(true);
    expect(isTypo('revenu', 'revenue')).toBe(true);
    expect(isTypo('tempreture', 'temperature')).toBe(true);
    expect(isTypo('whether', 'weather')).toBe(false);
    expect(isTypo('kind', 'wind')).toBe(false);
    expect(isTypo('sales', 'sales')).toBe(false);
  });
});
