import { RequestValidationException } from '@app/common';
import { MAX_METRICS_PER_WRITE, parseMetricInputs } from './metric-input';
import {
  now,
  datasetId,
  parsedOne,
  rejectionOf,
  fieldErrorsOf,
  badFieldsOf,
} from '../testing/metric-input-helpers';

describe('parseMetricInputs', () => {
  describe('a valid write', () => {
    it('returns every field of a full metric', () => {
      const metric = parsedOne({
        name: 'revenue.total',
        value: 12.5,
        unit: 'EUR',
        dimensions: { region: 'eu-west', plan: 'pro' },
        observedAt: '2026-01-31T12:00:00Z',
        datasetId,
      });

      expect(metric).toEqual({
        name: 'revenue.total',
        value: 12.5,
        unit: 'EUR',
        dimensions: { region: 'eu-west', plan: 'pro' },
        observedAt: new Date('2026-01-31T12:00:00Z'),
        datasetId,
      });
    });

    it('fills what a minimal metric leaves out: no unit, no dimensions, observed now', () => {
      expect(parsedOne({ name: 'signups', value: 3 })).toEqual({
        name: 'signups',
        value: 3,
        unit: null,
        dimensions: {},
        observedAt: now,
        datasetId: null,
      });
    });

    it('reads null optional fields as absent', () => {
      const metric = parsedOne({
        name: 'signups',
        value: 3,
        unit: null,
        dimensions: null,
        observedAt: null,
        datasetId: null,
      });

      expect(metric).toEqual({
        name: 'signups',
        value: 3,
        unit: null,
        dimensions: {},
        observedAt: now,
        datasetId: null,
      });
    });

    it('keeps the items in order', () => {
      const metrics = parseMetricInputs(
        [
          { name: 'a', value: 1 },
          { name: 'b', value: 2 },
          { name: 'c', value: 3 },
        ],
        now,
      );

      expect(metrics.map((metric) => [metric.name, metric.value])).toEqual([
        ['a', 1],
        ['b', 2],
        ['c', 3],
      ]);
    });

    it('turns -0 into 0 (PostgreSQL would print "-0")', () => {
      const metric = parsedOne({ name: 'delta', value: -0 });

      expect(Object.is(metric.value, 0)).toBe(true);
    });

    it('lower-cases the dataset id', () => {
      expect(parsedOne({ name: 'a', value: 1, datasetId: datasetId.toUpperCase() }).datasetId).toBe(
        datasetId,
      );
    });

    it('accepts a write of exactly the maximum number of metrics', () => {
      const items = Array.from({ length: MAX_METRICS_PER_WRITE }, (_, i) => ({
        name: 'load',
        value: i,
      }));

      expect(parseMetricInputs(items, now)).toHaveLength(10_000);
    });
  });

  describe('name', () => {
    it.each([
      ['one letter', 'a'],
      ['a leading underscore', '_private'],
      ['a leading digit', '9lives'],
      ['every allowed punctuation', 'svc/api:latency-ms.p95_x'],
      ['200 characters', 'n'.repeat(200)],
    ])('accepts %s', (_, name) => {
      expect(parsedOne({ name, value: 1 }).name).toBe(name);
    });

    it.each([
      ['missing', undefined],
      ['null', null],
      ['a number', 42],
      ['empty', ''],
      ['201 characters', 'n'.repeat(201)],
      ['starting with a dot', '.hidden'],
      ['starting with a dash', '-x'],
      ['starting with a slash', '/x'],
      ['holding a space', 'page views'],
      ['holding a letter outside ASCII', 'café'],
      ['ending with a newline', 'views\n'],
    ])('refuses a name that is %s', (_, name) => {
      expect(fieldErrorsOf({ name, value: 1 })).toEqual([
        {
          field: 'metrics[0].name',
          message:
            'name must be 1–200 characters: letters, digits and _ . : / -, starting with a letter, digit or _',
        },
      ]);
    });
  });

  describe('value', () => {
    it.each([0, -1.5, 1e308, -Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 53 + 2])(
      'accepts the finite number %p',
      (value) => {
        expect(parsedOne({ name: 'a', value }).value).toBe(value);
      },
    );

    it.each([
      ['missing', undefined],
      ['null', null],
      ['a numeric string', '12'],
      ['the string "NaN"', 'NaN'],
      ['the string "Infinity"', 'Infinity'],
      ['NaN', NaN],
      ['Infinity', Infinity],
      ['-Infinity', -Infinity],
      ['a boolean', true],
      ['an array of a number', [1]],
      ['an object', { amount: 1 }],
    ])('refuses a value that is %s', (_, value) => {
      expect(fieldErrorsOf({ name: 'a', value })).toEqual([
        { field: 'metrics[0].value', message: 'value must be a finite number' },
      ]);
    });
  });

  describe('unit', () => {
    it.each([
      ['a currency', 'EUR'],
      ['a symbol', '%'],
      ['32 characters', 'u'.repeat(32)],
      ['empty', ''],
    ])('accepts a unit that is %s', (_, unit) => {
      expect(parsedOne({ name: 'a', value: 1, unit }).unit).toBe(unit);
    });

    it.each([
      ['33 characters', 'u'.repeat(33)],
      ['holding a newline', 'ms\n'],
      ['holding a NUL', 'ms\u0000'],
      ['holding a DEL', '\u007fms'],
      ['a number', 5],
      ['an object', { name: 'EUR' }],
    ])('refuses a unit that is %s', (_, unit) => {
      expect(fieldErrorsOf({ name: 'a', value: 1, unit })).toEqual([
        {
          field: 'metrics[0].unit',
          message: 'unit must be a string of at most 32 printable characters',
        },
      ]);
    });
  });

  describe('datasetId', () => {
    it.each([
      ['not a UUID', 'dataset-1'],
      ['a UUID without dashes', datasetId.replace(/-/g, '')],
      ['a UUID in braces', `{${datasetId}}`],
      ['a UUID with a character more', `${datasetId}0`],
      ['a UUID with a character that is not hex', datasetId.replace('0', 'g')],
      ['a number', 123],
    ])('refuses a dataset id that is %s', (_, id) => {
      expect(fieldErrorsOf({ name: 'a', value: 1, datasetId: id })).toEqual([
        { field: 'metrics[0].datasetId', message: 'datasetId must be a UUID' },
      ]);
    });
  });

  describe('fields', () => {
    it('refuses a field it does not know, by name', () => {
      expect(fieldErrorsOf({ name: 'a', value: 1, colour: 'red' })).toEqual([
        { field: 'metrics[0].colour', message: 'colour is not a metric field' },
      ]);
    });

    it('refuses a "__proto__" field of parsed JSON', () => {
      const item: unknown = JSON.parse('{"name":"a","value":1,"__proto__":{"admin":true}}');

      expect(badFieldsOf(item)).toEqual(['metrics[0].__proto__']);
    });

    it('reports every bad field of an item', () => {
      expect(
        badFieldsOf({
          name: '',
          value: '1',
          unit: 7,
          dimensions: [],
          observedAt: 'now',
          datasetId: 'x',
          extra: 1,
        }).sort(),
      ).toEqual(
        [
          'metrics[0].extra',
          'metrics[0].name',
          'metrics[0].value',
          'metrics[0].unit',
          'metrics[0].dimensions',
          'metrics[0].observedAt',
          'metrics[0].datasetId',
        ].sort(),
      );
    });

    it.each([
      ['null', null],
      ['a number', 5],
      ['a string', 'revenue'],
      ['an array', [{ name: 'a', value: 1 }]],
    ])('refuses an item that is %s', (_, item) => {
      expect(fieldErrorsOf(item)).toEqual([
        { field: 'metrics[0]', message: 'metrics[0] must be an object' },
      ]);
    });
  });

  describe('the write as a whole', () => {
    it('names a bad field by the index of its item', () => {
      const items = [
        { name: 'a', value: 1 },
        { name: 'b', value: 2 },
        { name: 'c', value: 3 },
        { name: 'd', value: 'four' },
      ];

      expect(rejectionOf(items).fieldErrors).toEqual([
        { field: 'metrics[3].value', message: 'value must be a finite number' },
      ]);
    });

    it('names fields under the path it is given', () => {
      expect(rejectionOf([{ value: 1 }], 'arguments.metrics').fieldErrors?.[0]?.field).toBe(
        'arguments.metrics[0].name',
      );
    });

    it('reports errors of several items, in item order', () => {
      const items = [{ name: '', value: 1 }, { name: 'ok', value: 1 }, { name: 'x' }];

      expect(rejectionOf(items).fieldErrors?.map((error) => error.field)).toEqual([
        'metrics[0].name',
        'metrics[2].value',
      ]);
    });

    it('reports at most 50 errors, the first ones', () => {
      const items = Array.from({ length: 200 }, () => ({ name: 'a', value: 'x' }));

      const fields = rejectionOf(items).fieldErrors?.map((error) => error.field);

      expect(fields).toHaveLength(50);
      expect(fields?.[0]).toBe('metrics[0].value');
      expect(fields?.[49]).toBe('metrics[49].value');
    });

    it('reports at most 50 errors when one item holds more', () => {
      const item = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`extra${i}`, i]));

      expect(rejectionOf([{ name: 'a', value: 1, ...item }]).fieldErrors).toHaveLength(50);
    });

    it('puts the errors in the detail too', () => {
      expect(rejectionOf([{ name: 'a', value: null }]).message).toBe(
        'The request is invalid: metrics[0].value: value must be a finite number',
      );
    });

    it('refuses an empty write', () => {
      const error = rejectionOf([]);

      expect(error).toBeInstanceOf(RequestValidationException);
      expect(error.getStatus()).toBe(400);
      expect(error.fieldErrors).toEqual([
        { field: 'metrics', message: 'metrics must hold at least one metric' },
      ]);
    });

    it.each([
      ['an object', { name: 'a', value: 1 }],
      ['a string', '[]'],
      ['null', null],
      ['missing', undefined],
    ])('refuses metrics that are %s, not an array', (_, items) => {
      const error = rejectionOf(items);

      expect(error).toBeInstanceOf(RequestValidationException);
      expect(error.getStatus()).toBe(400);
      expect(error.fieldErrors).toEqual([
        { field: 'metrics', message: 'metrics must be an array' },
      ]);
    });

    it('refuses a write of more than 10,000 metrics with a 413, before checking any', () => {
      const items = Array.from({ length: MAX_METRICS_PER_WRITE + 1 }, () => ({ bad: true }));

      const error = rejectionOf(items);

      expect(error).not.toBeInstanceOf(RequestValidationException);
      expect(error.getStatus()).toBe(413);
      expect(error.slug).toBe('too-many-metrics');
      expect(error.message).toContain('this one has 10001');
      expect(error.fieldErrors).toEqual([
        { field: 'metrics', message: 'metrics must hold at most 10000 metrics' },
      ]);
    });
  });
});
