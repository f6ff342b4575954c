import type { FastifyInstance } from 'fastify';
import type { PrometheusService } from './prometheus.service';

/**
 * Counts and times every HTTP response by route template (never the raw URL,
 * whose ids would explode the label set); unmatched routes count as `unmatched`.
 */
export function recordHttpMetrics(fastify: FastifyInstance, metrics: PrometheusService): void {
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
}
