import { parsedOne, fieldErrorsOf } from '../testing/metric-input-helpers';

describe('parseMetricInputs: dimensions and times', () => {
  describe('dimensions', () => {
    const keys = (count: number) =>
      Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, `v${i}`]));

    it('accepts 20 keys', () => {
      expect(parsedOne({ name: 'a', value: 1, dimensions: keys(20) }).dimensions).toEqual(keys(20));
    });

    it('refuses 21 keys', () => {
      expect(fieldErrorsOf({ name: 'a', value: 1, dimensions: keys(21) })).toEqual([
        { field: 'metrics[0].dimensions', message: 'dimensions must have at most 20 keys' },
      ]);
    });

    it.each([
      ['a leading underscore', '_region'],
      ['dots, dashes and digits', 'a.b-c_d9'],
      ['64 characters', 'k'.repeat(64)],
    ])('accepts a key with %s', (_, key) => {
      expect(parsedOne({ name: 'a', value: 1, dimensions: { [key]: 'x' } }).dimensions).toEqual({
        [key]: 'x',
      });
    });

    it.each([
      ['empty', ''],
      ['starting with a digit', '1st'],
      ['starting with a dash', '-x'],
      ['holding a space', 'the region'],
      ['holding a colon', 'a:b'],
      ['holding a letter outside ASCII', 'région'],
      ['65 characters long', 'k'.repeat(65)],
    ])('refuses a key that is %s', (_, key) => {
      const [error, ...rest] = fieldErrorsOf({ name: 'a', value: 1, dimensions: { [key]: 'x' } });

      expect(rest).toEqual([]);
      expect(error?.field).toBe('metrics[0].dimensions');
      // The message quotes at most 64 characters of the key.
      expect(error?.message).toContain(`key "${key.slice(0, 64)}" must be 1–64 characters`);
    });

    it('keeps a "__proto__" key, which passes the key rule, instead of dropping it', () => {
      const item = JSON.parse(
        '{"name":"a","value":1,"dimensions":{"__proto__":"x","region":"eu"}}',
      ) as Record<string, unknown>;

      const { dimensions } = parsedOne(item);

      expect(Object.entries(dimensions)).toEqual([
        ['__proto__', 'x'],
        ['region', 'eu'],
      ]);
      expect(Object.getPrototypeOf(dimensions)).toBe(Object.prototype);
    });

    it.each([
      ['empty', ''],
      ['200 characters', 'v'.repeat(200)],
      ['any printable text', 'Zürich, "CH" 🇨🇭'],
    ])('accepts a value that is %s', (_, value) => {
      expect(parsedOne({ name: 'a', value: 1, dimensions: { city: value } }).dimensions).toEqual({
        city: value,
      });
    });

    it.each([
      ['201 characters', 'v'.repeat(201)],
      ['holding a tab', 'a\tb'],
      ['a number', 5],
      ['a boolean', false],
      ['null', null],
      ['an array', ['eu', 'us']],
      ['an object', { code: 'eu' }],
    ])('refuses a value that is %s', (_, value) => {
      expect(fieldErrorsOf({ name: 'a', value: 1, dimensions: { region: value } })).toEqual([
        {
          field: 'metrics[0].dimensions',
          message:
            'dimensions value of "region" must be a string of at most 200 printable characters',
        },
      ]);
    });

    it.each([
      ['an array', [['region', 'eu']]],
      ['a string', 'region=eu'],
      ['a number', 1],
    ])('refuses dimensions that are %s', (_, dimensions) => {
      expect(fieldErrorsOf({ name: 'a', value: 1, dimensions })).toEqual([
        {
          field: 'metrics[0].dimensions',
          message: 'dimensions must be an object of string values',
        },
      ]);
    });
  });

  describe('observedAt', () => {
    it.each([
      ['UTC', '2026-01-31T12:00:00Z', '2026-01-31T12:00:00.000Z'],
      ['an offset', '2026-01-31T12:00:00+01:00', '2026-01-31T11:00:00.000Z'],
      ['a negative offset', '2026-01-31T12:00:00-05:30', '2026-01-31T17:30:00.000Z'],
      ['an offset without a colon', '2026-01-31T12:00:00+0100', '2026-01-31T11:00:00.000Z'],
      ['no seconds', '2026-01-31T12:00Z', '2026-01-31T12:00:00.000Z'],
      ['milliseconds', '2026-01-31T12:00:00.123Z', '2026-01-31T12:00:00.123Z'],
      [
        'nanoseconds (kept to the millisecond)',
        '2026-01-31T12:00:00.123456789Z',
        '2026-01-31T12:00:00.123Z',
      ],
      ['lower-case t and z', '2026-01-31t12:00:00z', '2026-01-31T12:00:00.000Z'],
      ['a leap day', '2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
      ['a leap day of a 400th year', '2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
      ['the earliest instant', '1900-01-01T00:00:00Z', '1900-01-01T00:00:00.000Z'],
      ['the latest instant', '2199-12-31T23:59:59.999Z', '2199-12-31T23:59:59.999Z'],
    ])('accepts a time with %s', (_, observedAt, instant) => {
      expect(parsedOne({ name: 'a', value: 1, observedAt }).observedAt.toISOString()).toBe(instant);
    });

    it.each([
      ['no zone (it would mean the server’s)', '2026-01-31T12:00:00'],
      ['no time', '2026-01-31'],
      ['a space for the T', '2026-01-31 12:00:00Z'],
      ['a named month', 'Jan 31 2026 12:00:00 GMT'],
      ['words', 'yesterday'],
      ['month 13', '2026-13-01T00:00:00Z'],
      ['day 0', '2026-01-00T00:00:00Z'],
      ['30 February', '2026-02-30T00:00:00Z'],
      ['29 February of a common year', '2026-02-29T00:00:00Z'],
      ['29 February of a century not divisible by 400', '2100-02-29T00:00:00Z'],
      ['31 April', '2026-04-31T00:00:00Z'],
      ['hour 25', '2026-01-31T25:00:00Z'],
      ['minute 60', '2026-01-31T12:60:00Z'],
      ['an offset of 25 hours', '2026-01-31T12:00:00+25:00'],
      ['a time before 1900', '1899-12-31T23:59:59.999Z'],
      ['1900 in local time but 1899 in UTC', '1900-01-01T00:30:00+01:00'],
      ['a time from 2200', '2200-01-01T00:00:00Z'],
      ['a number of milliseconds', Date.parse('2026-01-31T12:00:00Z')],
      ['an object', { iso: '2026-01-31T12:00:00Z' }],
    ])('refuses a time with %s', (_, observedAt) => {
      expect(fieldErrorsOf({ name: 'a', value: 1, observedAt })).toEqual([
        {
          field: 'metrics[0].observedAt',
          message:
            'observedAt must be an ISO 8601 time with a zone (e.g. 2026-01-31T12:00:00Z), 1900–2199',
        },
      ]);
    });
  });
});
