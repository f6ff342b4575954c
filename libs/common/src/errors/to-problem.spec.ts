import {
  BadRequestException,
  HttpException,
  InternalServerErrorException,
  NotFoundException,
} from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { ProblemException, RequestValidationException } from './problem';
import { toProblem, uniqueViolationOf } from './to-problem';

const context = { instance: '/v1/datasets/42?x=1', requestId: 'req-123' };

/** What Fastify throws for its own client errors: an Error with `statusCode` and `code`. */
function fastifyError(message: string, statusCode: number, code: string): Error {
  return Object.assign(new Error(message), { statusCode, code });
}

describe('toProblem', () => {
  it('copies instance and requestId into every problem', () => {
    const { body } = toProblem(new Error('boom'), context);

    expect(body.instance).toBe('/v1/datasets/42?x=1');
    expect(body.requestId).toBe('req-123');
  });

  describe('ProblemException', () => {
    it('keeps its slug, status, detail and field errors', () => {
      const fieldErrors = [{ field: 'name', message: 'name is taken' }];
      const exception = new ProblemException(409, 'dataset-exists', 'A dataset named x exists', [
        ...fieldErrors,
      ]);

      expect(toProblem(exception, context)).toEqual({
        body: {
          type: '/problems/dataset-exists',
          title: 'Conflict',
          status: 409,
          detail: 'A dataset named x exists',
          instance: context.instance,
          requestId: context.requestId,
          errors: fieldErrors,
        },
        unexpected: false,
      });
    });

    it('has no errors member when it carries no field errors', () => {
      const { body } = toProblem(new ProblemException(403, 'forbidden', 'Not yours'), context);

      expect(body).not.toHaveProperty('errors');
      expect(body.type).toBe('/problems/forbidden');
    });

    it('adds its extension members, never over a standard one', () => {
      const exception = new ProblemException(422, 'question-not-understood', 'Not understood', [], {
        columns: ['date', 'weather'],
        status: 200,
        detail: 'replaced',
      });

      const { body } = toProblem(exception, context);
      expect(body).toMatchObject({ status: 422, detail: 'Not understood' });
      expect(body).toHaveProperty('columns', ['date', 'weather']);
    });

    it('flags a deliberate 5xx as unexpected', () => {
      const exception = new ProblemException(503, 'database-unavailable', 'Try again later');

      expect(toProblem(exception, context).unexpected).toBe(true);
    });

    it('maps RequestValidationException to a 400 validation-error with every field', () => {
      const errors = [
        { field: 'name', message: 'name must be a string' },
        { field: 'items[0].count', message: 'count must be a positive number' },
      ];

      const { body, unexpected } = toProblem(new RequestValidationException(errors), context);

      expect(unexpected).toBe(false);
      expect(body.status).toBe(400);
      expect(body.title).toBe('Bad Request');
      expect(body.type).toBe('/problems/validation-error');
      expect(body.errors).toEqual(errors);
      expect(body.detail).toBe(
        'The request is invalid: name: name must be a string; items[0].count: count must be a positive number',
      );
    });
  });

  describe('Nest HttpException', () => {
    it('turns the router 404 into not-found with a readable detail', () => {
      const { body, unexpected } = toProblem(new NotFoundException('Cannot GET /x'), context);

      expect(unexpected).toBe(false);
      expect(body).toMatchObject({
        type: '/problems/not-found',
        title: 'Not Found',
        status: 404,
        detail: 'No route matches GET /x',
      });
    });

    it('keeps the detail of other 404s', () => {
      const { body } = toProblem(new NotFoundException('Dataset 42 not found'), context);

      expect(body.detail).toBe('Dataset 42 not found');
      expect(body.type).toBe('/problems/not-found');
    });

    it('maps 413 to payload-too-large', () => {
      const { body } = toProblem(new HttpException('too big', 413), context);

      expect(body).toMatchObject({
        type: '/problems/payload-too-large',
        title: 'Payload Too Large',
        status: 413,
        detail: 'too big',
      });
    });

    it('joins an array message from a Nest exception body', () => {
      const exception = new BadRequestException(['a is bad', 'b is bad']);

      const { body } = toProblem(exception, context);

      expect(body.detail).toBe('a is bad; b is bad');
      expect(body.type).toBe('/problems/bad-request');
    });

    it('uses about:blank for a status without a slug', () => {
      const { body } = toProblem(new HttpException('slow down', 429), context);

      expect(body.type).toBe('about:blank');
      expect(body.title).toBe('Too Many Requests');
    });

    it('flags a 5xx HttpException as unexpected', () => {
      expect(toProblem(new InternalServerErrorException(), context).unexpected).toBe(true);
    });
  });

  describe('unknown errors', () => {
    it('hides the message of a plain Error behind a generic 500', () => {
      const { body, unexpected } = toProblem(
        new Error('select * from secret_table failed'),
        context,
      );

      expect(unexpected).toBe(true);
      expect(body.status).toBe(500);
      expect(body.title).toBe('Internal Server Error');
      expect(body.type).toBe('about:blank');
      expect(body.detail).not.toContain('secret_table');
      expect(body.detail).toContain('requestId');
      expect(body).not.toHaveProperty('errors');
    });

    it.each([['a string'], [null], [undefined], [{ statusCode: 404, message: 'not an Error' }]])(
      'maps a thrown non-Error (%p) to a 500',
      (thrown) => {
        const { body, unexpected } = toProblem(thrown, context);

        expect(unexpected).toBe(true);
        expect(body.status).toBe(500);
      },
    );

    it('does not trust statusCode >= 500 on a plain Error', () => {
      const error = Object.assign(new Error('connection reset by db-7'), { statusCode: 502 });

      const { body } = toProblem(error, context);

      expect(body.status).toBe(500);
      expect(body.detail).not.toContain('db-7');
    });
  });

  describe('statement timeouts', () => {
    const canceled = () =>
      Object.assign(new Error('canceling statement due to statement timeout'), {
        code: '57014',
      });

    it.each([
      ['the driver error', canceled()],
      ['a TypeORM QueryFailedError', new QueryFailedError('SELECT pg_sleep(60)', [], canceled())],
    ])('maps %s to a 503 query-timeout with Retry-After and no driver text', (_, error) => {
      const { body, unexpected, headers } = toProblem(error, context);
      expect(body).toMatchObject({
        type: '/problems/query-timeout',
        title: 'Service Unavailable',
        status: 503,
      });
      expect(body.detail).not.toMatch(/statement timeout|pg_sleep/);
      expect(Number(headers?.['retry-after'])).toBeGreaterThan(0);
      expect(unexpected).toBe(true);
    });

    it('leaves other database errors a 500 without headers', () => {
      const error = new QueryFailedError(
        'SELECT 1',
        [],
        Object.assign(new Error('x'), { code: '23514' }),
      );
      const { body, headers } = toProblem(error, context);
      expect(body.status).toBe(500);
      expect(headers).toBeUndefined();
    });
  });

  describe('unique violations', () => {
    const violation = Object.assign(
      new Error('duplicate key value violates unique constraint "things_name_unique"'),
      { code: '23505', constraint: 'things_name_unique', detail: 'Key (name)=(secret) exists.' },
    );

    it.each([
      ['the driver error', violation],
      ['a TypeORM QueryFailedError', new QueryFailedError('INSERT …', ['secret'], violation)],
    ])('maps %s to a 409 conflict naming no value', (_, error) => {
      expect(uniqueViolationOf(error)).toBe('things_name_unique');
      const { body, unexpected } = toProblem(error, context);
      expect(body).toMatchObject({ type: '/problems/conflict', status: 409 });
      expect(body.detail).not.toMatch(/secret|things_name_unique/);
      expect(unexpected).toBe(false);
    });

    it('recognises nothing else', () => {
      expect(uniqueViolationOf(new Error('x'))).toBeUndefined();
      expect(uniqueViolationOf(Object.assign(new Error('x'), { code: '23514' }))).toBeUndefined();
    });
  });

  describe('Fastify client errors', () => {
    it('maps FST_ERR_CTP_INVALID_MEDIA_TYPE to unsupported-media-type', () => {
      const error = fastifyError(
        'Unsupported Media Type: text/plain',
        415,
        'FST_ERR_CTP_INVALID_MEDIA_TYPE',
      );

      expect(toProblem(error, context)).toEqual({
        body: {
          type: '/problems/unsupported-media-type',
          title: 'Unsupported Media Type',
          status: 415,
          detail: 'Unsupported Media Type: text/plain',
          instance: context.instance,
          requestId: context.requestId,
        },
        unexpected: false,
      });
    });

    it('maps an invalid JSON body to bad-request', () => {
      const error = Object.assign(new SyntaxError('Unexpected token } in JSON'), {
        statusCode: 400,
        code: 'FST_ERR_CTP_INVALID_JSON_BODY',
      });

      const { body } = toProblem(error, context);

      expect(body.type).toBe('/problems/bad-request');
      expect(body.status).toBe(400);
      expect(body.detail).toBe('The body is not valid JSON: Unexpected token } in JSON');
    });

    it('falls back to the status slug for an unknown code', () => {
      const { body } = toProblem(
        fastifyError('Route not found', 404, 'FST_ERR_NOT_FOUND'),
        context,
      );

      expect(body.type).toBe('/problems/not-found');
      expect(body.detail).toBe('Route not found');
    });
  });
});

describe('bounded problem bodies (their OpenAPI schema states the bounds)', () => {
  const context = { instance: '/v1/metrics', requestId: 'req-1' };

  it('lists at most 100 field errors, cut at 1,024 characters, and names 10 in the detail', () => {
    const errors = Array.from({ length: 5000 }, (_, index) => ({
      field: `metrics[${index}].${'k'.repeat(index === 0 ? 5000 : 1)}`,
      message: 'must be a finite number',
    }));
    const { body } = toProblem(new RequestValidationException(errors), context);
    expect(body.errors).toHaveLength(100);
    expect(body.errors?.[0]?.field).toHaveLength(1024);
    expect(body.detail).toMatch(/; and 4990 more$/);
    expect(body.detail.length).toBeLessThan(2000);
  });

  it('cuts any detail at 16,384 characters', () => {
    const { body } = toProblem(
      new ProblemException(400, 'bad-request', 'x'.repeat(100_000)),
      context,
    );
    expect(body.detail).toHaveLength(16_384);
  });
});
