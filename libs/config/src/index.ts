export { AppConfig, type DatabaseConfig, type HttpConfig, type RateLimit } from './app-config';
export { ConfigModule } from './config.module';
export { ConfigValidationError, loadConfig } from './load-config';
export { loadConfigFromProcess } from './process-environment';
