export { drainHttpServer } from './drain-http';
export { type GracefulShutdownOptions, installGracefulShutdown } from './graceful-shutdown';
export { runService, type ServiceContext, type StartedService } from './run-service';
export { restoreFastStringPrototype } from './fast-string-prototype';
