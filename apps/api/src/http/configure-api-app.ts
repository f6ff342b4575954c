import { PROBLEM_CONTENT_TYPE, ProblemException } from '@app/common';
import type { AppConfig } from '@app/config';
import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import { CSV_MEDIA_TYPES } from '@app/datasets';
import { VersioningType } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger as PinoLogger } from 'nestjs-pino';
import {
  PrometheusService,
  OpenTelemetryTracing,
  recordHttpMetrics,
  traceHttpRequests,
} from '@app/observability';
import { AnonymousRateLimit } from '@app/rate-limit';
import { serveDashboard } from '../dashboard/serve-dashboard';
import { setupOpenApi } from '../openapi/openapi-document';
import { corsOptions } from './cors-options';

/** The OpenTelemetry instrumentation scope of the request spans. */
const HTTP_TRACER_NAME = 'sightline.http';

/** Paths reached over plain HTTP by probes and scrapers inside the cluster. */
const PLAIN_HTTP_PATHS = /^\/(health\/|metrics$)/;

export interface ApiAppOptions {
  /** The dashboard's build (default: dist/web); tests point it elsewhere. */
  webRoot?: string;
}

/**
 * Everything between the socket and the router, applied identically by
 * `main.ts` and by the end-to-end tests: logging, metrics and spans, security headers, CORS,
 * compression, HTTPS enforcement,
 * `/v1` versioning, the OpenAPI documents and the dashboard.
 */
export async function configureApiApp(
  app: NestFastifyApplication,
  config: AppConfig,
  options: ApiAppOptions = {},
): Promise<void> {
  app.useLogger(app.get(PinoLogger));
  const fastify = app.getHttpAdapter().getInstance();
  recordHttpMetrics(fastify, app.get(PrometheusService));
  traceHttpRequests(fastify, app.get(OpenTelemetryTracing).tracer(HTTP_TRACER_NAME));

  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
    if (
      config.http.enforceHttps &&
      request.protocol !== 'https' &&
      !PLAIN_HTTP_PATHS.test(request.url)
    ) {
      if (request.method === 'GET' || request.method === 'HEAD') {
        return reply.redirect(`https://${request.host}${request.url}`, 308);
      }
      return reply.status(403).header('content-type', PROBLEM_CONTENT_TYPE).send({
        type: '/problems/https-required',
        title: 'Forbidden',
        status: 403,
        detail: 'This API is served over HTTPS only; repeat the request with https://',
        instance: request.url,
        requestId: request.id,
      });
    }
  });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Swagger UI styles itself inline and shows its logo as a data: image.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        scriptSrc: ["'self'"],
      },
    },
    hsts: config.isProduction ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });
  // Parses `Cookie` (the browser session's refresh and CSRF cookies) and writes Set-Cookie;
  // unsigned: the refresh token is its own proof, and the CSRF token is compared, not trusted.
  await app.register(fastifyCookie);
  app.enableCors(corsOptions(config.http.corsOrigins));
  // Before compression: a 429 it writes replaces the uncompressed body.
  app.get(AnonymousRateLimit).register(fastify);
  // Request bodies may be compressed too: the route's body limit (or, for uploads, the CSV
  // reader's DATASET_MAX_BYTES) counts decompressed bytes, so a small bomb is a 413.
  await app.register(fastifyCompress, {
    threshold: 1024,
    encodings: ['br', 'gzip', 'deflate'],
    requestEncodings: ['br', 'gzip', 'deflate'],
    onUnsupportedRequestEncoding: (encoding) =>
      new ProblemException(
        415,
        'unsupported-content-encoding',
        `Content-Encoding ${encoding} is not accepted; send gzip, deflate, br or identity`,
      ),
  });
  // Uploads stream: a CSV body and a multipart file reach the route unread, and the route
  // reads them as it stores them (limits are the route's, see DatasetUploadService).
  await app.register(fastifyMultipart, { limits: { files: 1, fields: 10, parts: 12 } });
  fastify.addContentTypeParser(CSV_MEDIA_TYPES, (_request, payload, done) => done(null, payload));
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
  await setupOpenApi(app);
  await serveDashboard(fastify, options.webRoot);
}
