import { Injectable } from '@nestjs/common';

/**
 * Whether the process is draining. Set on SIGTERM before the HTTP server
 * closes, so readiness turns 503 and load balancers stop sending traffic while
 * in-flight requests finish.
 */
@Injectable()
export class ServiceLifecycle {
  private draining = false;

  get isShuttingDown(): boolean {
    return this.draining;
  }

  markShuttingDown(): void {
    this.draining = true;
  }
}
