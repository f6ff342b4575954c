import { HttpException } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';

/** One invalid field of a request, named the way the client sent it (`items[2].name`). */
export interface FieldError {
  field: string;
  message: string;
}

/** RFC 9457 problem details, as every error leaves the API. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  errors?: FieldError[];
}

/**
 * Problem types are relative URIs under `/problems/`, documented in
 * `docs/problems.md`; plain HTTP failures without a more specific meaning use
 * `about:blank` as RFC 9457 recommends.
 */
export function problemType(slug: string | undefined): string {
  return slug === undefined ? 'about:blank' : `/problems/${slug}`;
}

export function statusTitle(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

/**
 * An error a service throws on purpose: a status, a stable problem type and a
 * human detail. The exception filter turns it into problem+json unchanged.
 */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    readonly slug: string,
    detail: string,
    readonly fieldErrors?: FieldError[],
  ) {
    super(detail, status);
  }
}

/** A request whose body, query or parameters failed validation. */
export class RequestValidationException extends ProblemException {
  constructor(errors: FieldError[]) {
    const summary = errors.map((error) => `${error.field}: ${error.message}`).join('; ');
    super(400, 'validation-error', `The request is invalid: ${summary}`, errors);
  }
}
