import type {} from '@fastify/cookie';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  CSRF_COOKIE,
  CSRF_HEADER,
  REFRESH_COOKIE,
  type SessionCookieJar,
} from '../services/session-cookies';

const JSON_MEDIA_TYPE = /^application\/json\s*(;|$)/i;

/** The session cookies of a request (parsed by `@fastify/cookie`) and its reply's Set-Cookie. */
export function sessionCookieJarOf(request: FastifyRequest, reply: FastifyReply): SessionCookieJar {
  const header = request.headers[CSRF_HEADER.toLowerCase()];
  return {
    refreshToken: request.cookies[REFRESH_COOKIE],
    csrfCookie: request.cookies[CSRF_COOKIE],
    csrfHeader: typeof header === 'string' ? header : undefined,
    jsonBody: JSON_MEDIA_TYPE.test(request.headers['content-type'] ?? ''),
    set: (cookie) => void reply.setCookie(cookie.name, cookie.value, cookie.attributes),
  };
}

/** Injects the {@link SessionCookieJar} of the current request into a controller method. */
export const SessionCookies = createParamDecorator(
  (_data: unknown, context: ExecutionContext): SessionCookieJar => {
    const http = context.switchToHttp();
    return sessionCookieJarOf(http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  },
);
