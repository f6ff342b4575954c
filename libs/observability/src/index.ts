export { LoggingModule, type LoggingModuleOptions, REDACTED_PATHS } from './logging.module';
