import { applyRouteBodyLimits, parseQueryString, resolveRequestId } from '@app/common';
import type { AppConfig } from '@app/config';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { IncomingMessage } from 'node:http';
import {
  clientErrorHandler,
  frameworkErrorHandler,
  MAX_HEADER_BYTES,
  MAX_PARAM_LENGTH,
  refuseLongUrls,
} from './framework-refusals';

/**
 * Fastify with Sightline's server options: the configured body limit and proxy
 * trust, request ids shared with the logger, a clean drain on close
 * (in-flight requests finish, idle keep-alive sockets are closed, new requests
 * on open sockets get 503), and bounded heads whose refusals, from Node's parser
 * or Fastify's router, are problem+json like every other error.
 */
export function createFastifyAdapter(config: AppConfig): FastifyAdapter {
  const adapter = new FastifyAdapter({
    bodyLimit: config.http.bodyLimitBytes,
    trustProxy: config.http.trustProxy,
    genReqId: (request: IncomingMessage) => resolveRequestId(request),
    requestIdHeader: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    http: { maxHeaderSize: MAX_HEADER_BYTES },
    clientErrorHandler,
    frameworkErrors: frameworkErrorHandler,
    routerOptions: {
      ignoreTrailingSlash: true,
      maxParamLength: MAX_PARAM_LENGTH,
      querystringParser: parseQueryString,
    },
  });
  applyRouteBodyLimits(adapter.getInstance());
  refuseLongUrls(adapter.getInstance());
  return adapter;
}
