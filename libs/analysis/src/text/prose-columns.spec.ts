import { isProse, type ProseEvidence, proseColumns } from './prose-columns';

const column = (
  topValues: ProseEvidence['topValues'],
  { count = 100, nullCount = 0, distinctCount = 100 } = {},
): ProseEvidence => ({ type: 'string', count, nullCount, distinctCount, topValues });

describe('isProse', () => {
  it('refuses categorical codes: few values, repeated', () => {
    // Seattle's weather column.
    const weather = column(
      [
        { value: 'sun', count: 714 },
        { value: 'rain', count: 641 },
        { value: 'fog', count: 101 },
        { value: 'drizzle', count: 53 },
        { value: 'snow', count: 26 },
      ],
      { count: 1461, distinctCount: 5 },
    );
    expect(isProse(weather)).toBe(false);
    // Multi-word labels repeat too.
    const labels = column(
      [
        { value: 'partly cloudy with showers', count: 40 },
        { value: 'clear skies all day', count: 60 },
      ],
      { distinctCount: 2 },
    );
    expect(isProse(labels)).toBe(false);
  });

  it('refuses distinct values of one or two words: names, ids, e-mails', () => {
    const names = column([
      { value: 'Ada Lovelace', count: 1 },
      { value: 'Alan Turing', count: 1 },
      { value: 'grace@example.com', count: 1 },
    ]);
    expect(isProse(names)).toBe(false);
  });

  it('accepts distinct sentences', () => {
    const reviews = column([
      { value: 'The staff were friendly and the room was clean.', count: 1 },
      { value: 'Slow delivery, but it works.', count: 1 },
      { value: 'Great!', count: 1 },
    ]);
    expect(isProse(reviews)).toBe(true);
  });

  it('sets empty strings aside: an optional comment column is still prose', () => {
    const comments = column(
      [
        { value: '', count: 80 },
        { value: 'Arrived late and the box was crushed.', count: 1 },
        { value: 'Exactly what I ordered, thank you.', count: 1 },
      ],
      { distinctCount: 21 },
    );
    expect(isProse(comments)).toBe(true);
    expect(isProse(column([{ value: '', count: 100 }], { distinctCount: 1 }))).toBe(false);
  });

  it('is false for a column with no value, or of another type', () => {
    expect(isProse(column([], { nullCount: 100, distinctCount: 0 }))).toBe(false);
    expect(isProse({ ...column([{ value: 'one two three', count: 1 }]), type: 'integer' })).toBe(
      false,
    );
  });

  it('decides at the documented bounds', () => {
    const atBounds = column([{ value: 'one two three', count: 1 }], {
      count: 2,
      distinctCount: 1,
    });
    expect(isProse(atBounds)).toBe(true);
    expect(isProse({ ...atBounds, topValues: [{ value: 'one two', count: 1 }] })).toBe(false);
    expect(isProse({ ...atBounds, count: 3 })).toBe(false);
    // More levels than a category has: templated sentences that repeat are prose.
    const templated = { ...atBounds, count: 1000, distinctCount: 51 };
    expect(isProse(templated)).toBe(true);
    expect(isProse({ ...templated, distinctCount: 50 })).toBe(false);
  });
});

describe('proseColumns', () => {
  it('lists the prose text columns in column order', () => {
    const review = column([{ value: 'Lovely view from the terrace', count: 1 }]);
    const code = column([{ value: 'A1', count: 50 }], { distinctCount: 2 });
    const dataset = {
      columns: [
        { name: 'code', type: 'string' },
        { name: 'stars', type: 'integer' },
        { name: 'review', type: 'string' },
      ],
      profile: [
        { ...code, name: 'code' },
        { ...review, name: 'review' },
      ],
    };
    expect(proseColumns(dataset)).toEqual(['review']);
  });
});
