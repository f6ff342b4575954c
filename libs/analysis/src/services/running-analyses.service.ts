import { Injectable } from '@nestjs/common';

/**
 * The analyses this process is running, each with the controller that aborts it: the job
 * registers a run, the service's cancel aborts it here at once (other processes learn it
 * from their heartbeat).
 */
@Injectable()
export class RunningAnalysesService {
  private readonly running = new Map<string, AbortController>();

  /** Registers a run of `analysisId`; its signal aborts on {@link abort}. */
  start(analysisId: string): AbortController {
    const controller = new AbortController();
    this.running.set(analysisId, controller);
    return controller;
  }

  finish(analysisId: string): void {
    this.running.delete(analysisId);
  }

  has(analysisId: string): boolean {
    return this.running.has(analysisId);
  }

  /** Aborts the run of `analysisId` if it is running in this process. */
  abort(analysisId: string): void {
    this.running.get(analysisId)?.abort();
  }
}
