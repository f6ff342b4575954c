import { ServiceLifecycle } from '@app/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Drains the HTTP server: readiness turns 503, no new connections are
 * accepted, in-flight requests finish, then the server is closed. Keep-alive
 * sockets that become idle after their last response are closed as they
 * appear: Node's `server.close()` only closes those idle at the moment it is
 * called, and a client holding its socket open would otherwise stall shutdown.
 */
export async function drainHttpServer(app: NestFastifyApplication): Promise<void> {
  app.get(ServiceLifecycle).markShuttingDown();
  const fastify = app.getHttpAdapter().getInstance();
  const sweeper = setInterval(() => fastify.server.closeIdleConnections(), 200);
  try {
    await fastify.close();
  } finally {
    clearInterval(sweeper);
  }
}
