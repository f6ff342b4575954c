import { ProblemException, sendProblem } from '@app/common';
import fastifyStatic from '@fastify/static';
import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Where Vite writes the dashboard (`npm run build:web`): `dist/web`, two levels above the
 * built api's `main.js` (dist/apps/api), or from the repository's root when the api runs
 * from its TypeScript sources (the tests).
 */
export const DEFAULT_WEB_ROOT = __filename.endsWith('.ts')
  ? join(__dirname, '..', '..', '..', '..', 'dist', 'web')
  : join(__dirname, '..', '..', 'web');

/**
 * The dashboard's policy, stricter than the API's (which lets Swagger UI style itself
 * inline): its scripts and styles are files of its own, and it talks to this origin only.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Hashed file names change with their content, so a year's caching never serves stale code. */
export const ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';
/** `index.html` names the current assets: revalidated on every load. */
export const INDEX_CACHE_CONTROL = 'no-cache';

/**
 * Paths that are never the dashboard's, whatever they accept: the API (any version), the
 * probes, Prometheus, the API documentation, and the assets (a missing one is a 404).
 */
const NOT_DASHBOARD = /^\/(?:v\d+|health|metrics|assets)(?:[/?]|$)|^\/docs/;

type ConstraintStrategy = Parameters<FastifyInstance['addConstraintStrategy']>[0];
type RouterHandler = Parameters<ReturnType<ConstraintStrategy['storage']>['set']>[1];

/** The router constraint that lets the dashboard's catch-all route see page loads only. */
const PAGE_LOAD = 'dashboardPageLoad';

/**
 * A browser loading a page of the dashboard, as opposed to a client calling an API path.
 * Any other request never matches the dashboard's catch-all: the router goes on as if it
 * did not exist, so an unknown path is still unmatched (the API's 404, a 414 for an
 * over-long parameter, spans and metrics labelled as unmatched).
 */
const pageLoadConstraint: ConstraintStrategy = {
  name: PAGE_LOAD,
  storage() {
    let pageHandler: RouterHandler | null = null;
    return {
      get: (isPageLoad) => (isPageLoad === true ? pageHandler : null),
      set: (_isPageLoad, handler) => {
        pageHandler = handler;
      },
    };
  },
  deriveConstraint: (request) =>
    !NOT_DASHBOARD.test(request.url ?? '/') && (request.headers.accept ?? '').includes('text/html'),
  mustMatchWhenDerived: false,
};

const logger = new Logger('Dashboard');

/**
 * Serves the dashboard built in `root`: its hashed assets under `/assets/`, and
 * `index.html` at `/` and at any other GET that a browser navigates to (it accepts HTML and
 * is not an API path), so a client-side route such as `/datasets/<id>` survives a reload.
 * Every other unknown path reaches the API's 404 as before. Without a build, those pages
 * answer a 503 problem saying so; the API is unaffected.
 */
export async function serveDashboard(
  fastify: FastifyInstance,
  root: string = DEFAULT_WEB_ROOT,
): Promise<void> {
  const index = await readIndex(root);
  if (index === undefined) {
    logger.warn(`The dashboard is not built (no ${join(root, 'index.html')}): / answers 503`);
  } else {
    await fastify.register(fastifyStatic, {
      root: join(root, 'assets'),
      prefix: '/assets/',
      // index.html is sent from memory; leaving `reply.sendFile` undecorated keeps this
      // registration from clashing with another one's.
      decorateReply: false,
      index: false,
      cacheControl: true,
      maxAge: '365d',
      immutable: true,
      setHeaders: (reply) => void reply.header('content-security-policy', DASHBOARD_CSP),
    });
  }

  const page = (request: FastifyRequest, reply: FastifyReply) => {
    if (index === undefined) {
      sendProblem(
        new ProblemException(
          503,
          'dashboard-not-built',
          'The dashboard is not built: run `npm run build` (it writes dist/web), then restart the api',
        ),
        request,
        reply,
        logger,
      );
      return reply;
    }
    return reply
      .header('cache-control', INDEX_CACHE_CONTROL)
      .header('content-security-policy', DASHBOARD_CSP)
      .type('text/html; charset=utf-8')
      .send(index);
  };
  fastify.get('/', page);
  fastify.addConstraintStrategy(pageLoadConstraint);
  fastify.get('/*', { constraints: { [PAGE_LOAD]: true } }, page);
}

async function readIndex(root: string): Promise<Buffer | undefined> {
  try {
    return await readFile(join(root, 'index.html'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
