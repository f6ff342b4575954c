import { applyRouteBodyLimits, parseQueryString, resolveRequestId } from '@app/common';
import type { AppConfig } from '@app/config';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { IncomingMessage } from 'node:http';

/**
 * Fastify with Sightline's server options: the configured body limit and proxy
 * trust, request ids shared with the logger, and a clean drain on close
 * (in-flight requests finish, idle keep-alive sockets are closed, new requests
 * on open sockets get 503).
 */
export function createFastifyAdapter(config: AppConfig): FastifyAdapter {
  const adapter = new FastifyAdapter({
    bodyLimit: config.http.bodyLimitBytes,
    trustProxy: config.http.trustProxy,
    genReqId: (request: IncomingMessage) => resolveRequestId(request),
    requestIdHeader: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: {
      ignoreTrailingSlash: true,
      maxParamLength: 200,
      querystringParser: parseQueryString,
    },
  });
  applyRouteBodyLimits(adapter.getInstance());
  return adapter;
}
