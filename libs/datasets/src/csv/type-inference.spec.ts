import {
  convert,
  epochMillis,
  narrowest,
  RowTypeTracker,
  TypeTracker,
  widen,
  type ColumnType,
} from './type-inference';

function inferred(...values: (string | null)[]): ColumnType {
  const tracker = new TypeTracker();
  for (const value of values) tracker.observe(value);
  return tracker.type;
}

describe('narrowest', () => {
  it.each<[string, ColumnType]>([
    ['0', 'integer'],
    ['-42', 'integer'],
    ['+7', 'integer'],
    ['007', 'integer'],
    [' 12 ', 'integer'],
    ['9223372036854775807', 'integer'],
    ['-9223372036854775808', 'integer'],
    ['000009223372036854775807', 'integer'],
    ['9223372036854775808', 'number'],
    ['-9223372036854775809', 'number'],
    ['123456789012345678901234567890', 'number'],
    ['1.5', 'number'],
    ['-.5', 'number'],
    ['1.', 'number'],
    ['6.02e23', 'number'],
    ['1E-7', 'number'],
    ['1e5', 'number'],
    ['1e-320', 'number'],
    ['1e308', 'number'],
    ['1e309', 'string'],
    ['1e-400', 'string'],
    ['0e-400', 'number'],
    ['NaN', 'string'],
    ['Infinity', 'string'],
    ['-Infinity', 'string'],
    ['0x1F', 'string'],
    ['1_000', 'string'],
    ['1,5', 'string'],
    ['.', 'string'],
    ['-', 'string'],
    ['+', 'string'],
    ['1e', 'string'],
    ['1.2.3', 'string'],
    ['1 2', 'string'],
    ['true', 'boolean'],
    ['FALSE', 'boolean'],
    [' True ', 'boolean'],
    ['yes', 'string'],
    ['t', 'string'],
    ['truth', 'string'],
    ['2024-02-29', 'date'],
    ['0001-01-01', 'date'],
    ['2023-02-29', 'string'],
    ['2024-04-31', 'string'],
    ['2024-13-01', 'string'],
    ['0000-01-01', 'string'],
    ['2024-1-01', 'string'],
    ['20240101', 'integer'],
    ['2024-03-01T12:00', 'datetime'],
    ['2024-03-01T12:00:59', 'datetime'],
    ['2024-03-01 12:00:00', 'datetime'],
    ['2024-03-01T12:00:00.123456789Z', 'datetime'],
    ['2024-03-01T12:00:00z', 'datetime'],
    ['2024-03-01T12:00:00+01', 'datetime'],
    ['2024-03-01T12:00:00-0530', 'datetime'],
    ['2024-03-01T12:00:00+05:30', 'datetime'],
    ['2024-03-01 12:00:00+00', 'datetime'],
    ['2024-03-01T24:00', 'string'],
    ['2024-03-01T12:60', 'string'],
    ['2024-03-01T12:00:60', 'string'],
    ['2024-03-01T12', 'string'],
    ['2024-03-01T12:00:00.', 'string'],
    ['2024-03-01T12:00:00+1', 'string'],
    ['2024-03-01T12:00:00+16:00', 'string'],
    ['2024-03-01T12:00:00 UTC', 'string'],
    ['2024-03-01X12:00', 'string'],
    ['hello', 'string'],
    [' ', 'string'],
  ])('%j is %s', (value, type) => {
    expect(narrowest(value)).toBe(type);
  });
});

describe('widen', () => {
  it.each<[ColumnType, ColumnType, ColumnType]>([
    ['integer', 'integer', 'integer'],
    ['integer', 'number', 'number'],
    ['number', 'integer', 'number'],
    ['date', 'datetime', 'datetime'],
    ['datetime', 'date', 'datetime'],
    ['integer', 'boolean', 'string'],
    ['integer', 'date', 'string'],
    ['number', 'datetime', 'string'],
    ['boolean', 'date', 'string'],
    ['string', 'integer', 'string'],
  ])('%s ⊔ %s = %s', (a, b, joined) => {
    expect(widen(a, b)).toBe(joined);
  });
});

describe('TypeTracker', () => {
  it('ignores empty fields and calls a column without values a string', () => {
    expect(inferred(null, '', '3', null)).toBe('integer');
    expect(inferred()).toBe('string');
    expect(inferred(null, '')).toBe('string');
    expect(new TypeTracker().seenValue).toBe(false);
  });

  it('widens when later values contradict earlier ones', () => {
    expect(inferred('1', '2', '2.5', '3')).toBe('number');
    expect(inferred('2024-01-01', '2024-01-02T10:00Z')).toBe('datetime');
    expect(inferred('2024-01-02T10:00Z', '2024-01-01')).toBe('datetime');
    expect(inferred('1', '0', 'true')).toBe('string');
    expect(inferred('true', 'false', 'maybe')).toBe('string');
    expect(inferred('1', 'n/a', '2')).toBe('string');
    expect(inferred('1.5', '2024-01-01')).toBe('string');
  });

  it('keeps 0/1 columns integer and true/false columns boolean', () => {
    expect(inferred('0', '1', '1')).toBe('integer');
    expect(inferred('true', 'False', 'TRUE')).toBe('boolean');
  });

  it('tracks every column of a row', () => {
    const tracker = new RowTypeTracker(4);
    tracker.observe(['1', 'true', '2024-01-01', 'x']);
    tracker.observe(['1.5', null, '2024-01-01 10:00', '']);
    tracker.observe(['2', 'false']);
    expect(tracker.types).toEqual(['number', 'boolean', 'datetime', 'string']);
  });
});

describe('convert', () => {
  it.each<[string | null, ColumnType, unknown]>([
    ['42', 'integer', 42],
    [' -7 ', 'integer', -7],
    ['-0', 'integer', 0],
    ['9007199254740993', 'integer', 9007199254740992],
    ['42', 'number', 42],
    ['-1.5e3', 'number', -1500],
    ['.5', 'number', 0.5],
    ['TRUE', 'boolean', true],
    ['false', 'boolean', false],
    ['2024-02-29', 'date', new Date('2024-02-29T00:00:00Z')],
    ['0001-01-01', 'date', new Date('0001-01-01T00:00:00Z')],
    ['0099-12-31', 'date', new Date('0099-12-31T00:00:00Z')],
    ['2024-02-29', 'datetime', new Date('2024-02-29T00:00:00Z')],
    ['2024-03-01T12:00', 'datetime', new Date('2024-03-01T12:00:00Z')],
    ['2024-03-01 12:00:00.5+01:00', 'datetime', new Date('2024-03-01T11:00:00.500Z')],
    ['2024-03-01T12:00:00.123456Z', 'datetime', new Date('2024-03-01T12:00:00.123Z')],
    ['2024-03-01T00:30:00-0530', 'datetime', new Date('2024-03-01T06:00:00Z')],
    ['2024-03-01T23:00:00+15', 'datetime', new Date('2024-03-01T08:00:00Z')],
    [' text ', 'string', ' text '],
    ['', 'string', ''],
    [null, 'string', null],
    ['', 'integer', null],
    [null, 'date', null],
  ])('%j as %s', (value, type, expected) => {
    expect(convert(value, type)).toEqual(expected);
  });

  it('refuses a value that is not of the type', () => {
    expect(() => convert('0x10', 'integer')).toThrow('"0x10" is not a valid integer');
    expect(() => convert('1.5', 'integer')).toThrow(RangeError);
    expect(() => convert('yes', 'boolean')).toThrow(RangeError);
    expect(() => convert('2024-01-01T10:00', 'date')).toThrow(RangeError);
    expect(() => convert('Infinity', 'number')).toThrow(RangeError);
  });

  it('converts every value the tracker accepted for the final type', () => {
    const values = ['1', '-2', '3.5', '1e3', null, ''];
    const tracker = new TypeTracker();
    values.forEach((value) => tracker.observe(value));
    expect(values.map((value) => convert(value, tracker.type))).toEqual([
      1,
      -2,
      3.5,
      1000,
      null,
      null,
    ]);
  });
});

describe('epochMillis', () => {
  it.each([
    ['2024-02-29', 'date'],
    [' 0099-12-31\t', 'date'],
    ['2024-03-01 12:00', 'datetime'],
    ['2024-03-01T12:00:00.123456+05:30', 'datetime'],
    ['2024-03-01 12:00:00+00', 'datetime'],
    ['2024-03-01', 'datetime'],
  ] as const)('gives %j the time convert() gives as a Date', (value, type) => {
    expect(epochMillis(value, type)).toBe((convert(value, type) as Date).getTime());
  });

  it('agrees with the JS calendar from 0001-01-01 to 9999-12-31', () => {
    const wrong: string[] = [];
    const check = (from: string, to: string, stepDays: number): void => {
      for (let ms = Date.parse(from); ms <= Date.parse(to); ms += stepDays * 86_400_000) {
        const day = new Date(ms).toISOString().slice(0, 10);
        if (epochMillis(day, 'date') !== ms) wrong.push(day);
      }
    };
    // Every day of the first four centuries and around 1900/2000, then every 17th day.
    check('0001-01-01T00:00:00Z', '0404-12-31T00:00:00Z', 1);
    check('1896-01-01T00:00:00Z', '2104-12-31T00:00:00Z', 1);
    check('0001-01-01T00:00:00Z', '9999-12-31T00:00:00Z', 17);
    expect(wrong).toEqual([]);
    const time = Date.parse('1969-12-31T23:59:59.999Z');
    expect(epochMillis('1969-12-31T23:59:59.999Z', 'datetime')).toBe(time);
    expect(epochMillis('1970-01-01T05:29:59.999+05:30', 'datetime')).toBe(time);
  });

  it('is NaN for a value that is not of the type', () => {
    expect(epochMillis('2024-02-30', 'date')).toBeNaN();
    expect(epochMillis('2024-03-01 12:00', 'date')).toBeNaN();
  });

  it('checks every date, whatever date came just before (the last one is remembered)', () => {
    const runs: Array<[string, string]> = [
      ['2024-03-08', '2024-02-40'], // 40 days into February is no 8 March
      ['2024-02-29', '2023-02-29'], // a leap day, then the same day of a common year
      ['2024-01-31', '2024-01-32'],
      ['2024-12-01T10:00:00Z', '2024-12-01T24:00:00Z'], // same date, bad time
    ];
    for (const [valid, invalid] of runs) {
      const type = valid.length === 10 ? 'date' : 'datetime';
      expect(epochMillis(valid, type)).toBe(Date.parse(valid));
      expect(epochMillis(invalid, type)).toBeNaN();
      expect(epochMillis(valid, type)).toBe(Date.parse(valid));
    }
    expect(epochMillis('2024-12-01T10:00:01Z', 'datetime')).toBe(
      Date.parse('2024-12-01T10:00:01Z'),
    );
  });
});

describe('TypeTracker.observeValue', () => {
  /** What convert() gives for `value` as `type`, as observeValue reports it: a number or NaN. */
  function asNumber(value: string | null, type: ColumnType): number {
    const typed = convert(value, type);
    if (typed === null || typeof typed === 'string') return NaN;
    if (typed instanceof Date) return typed.getTime();
    return typeof typed === 'boolean' ? (typed ? 1 : 0) : typed;
  }

  /** Decimals of every length and shape, from a fixed seed (xorshift32). */
  function numerals(count: number): string[] {
    let state = 0x2545f491;
    const next = (n: number): number => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) % n;
    };
    const digits = (n: number): string => Array.from({ length: n }, () => next(10)).join('');
    return Array.from({ length: count }, () => {
      const sign = ['', '', '-', '+'][next(4)];
      const whole = digits(next(18));
      const fraction = next(3) === 0 ? '' : `.${digits(next(24))}`;
      const exponent = next(8) === 0 ? `e${['', '-', '+'][next(3)]}${next(330)}` : '';
      return `${sign}${whole || (fraction ? '' : '0')}${fraction}${exponent}`;
    });
  }

  it('reads every value as convert() does for the type the column ends with', () => {
    const values = [
      ...numerals(20_000),
      '9223372036854775807',
      '-9223372036854775808',
      '9223372036854775808',
      '000000000000000000042',
      '-0',
      '-0.0',
      ' 12 ',
      '1.',
      '-.5',
      '1e-400',
      '0e-400',
      '1e309',
    ];
    const wrong: string[] = [];
    for (const value of values) {
      // On its own, and after a decimal (the column is `number` when it is read).
      for (const first of [[], ['0.5']]) {
        const tracker = new TypeTracker();
        first.forEach((earlier) => tracker.observe(earlier));
        const read = tracker.observeValue(value);
        const type = tracker.type;
        const expected = type === 'string' ? NaN : asNumber(value, type);
        if (!Object.is(read, expected)) wrong.push(`${value} (${type}): ${read} ≠ ${expected}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('reads integers, times and booleans as the wider type of their branch would', () => {
    const cases: Array<[string[], ColumnType]> = [
      [['1', '-2', '3.25', '+4', '007'], 'number'],
      [['2024-02-29', '2024-03-01T12:00:00.5+01:00', ' 0099-12-31 '], 'datetime'],
      [['TRUE', 'false', ' True '], 'boolean'],
    ];
    for (const [values, type] of cases) {
      const tracker = new TypeTracker();
      const read = values.map((value) => tracker.observeValue(value));
      expect(tracker.type).toBe(type);
      expect(read).toEqual(values.map((value) => asNumber(value, type)));
    }
  });

  it('is NaN for empty fields and for every value of a string column', () => {
    const tracker = new TypeTracker();
    expect([null, '', '7'].map((value) => tracker.observeValue(value))).toEqual([NaN, NaN, 7]);
    expect(tracker.observeValue('seven')).toBeNaN();
    expect(tracker.observeValue('8')).toBeNaN();
    expect(tracker.type).toBe('string');
  });
});
