export {
  AppConfig,
  type DatabaseConfig,
  type HttpConfig,
  type JwtSecretSource,
  type LlmConfig,
  type RateLimit,
  type TelemetryConfig,
} from './app-config';
export { type LlmProvider, type QuestionPlannerSetting } from './config.schema';
export { ConfigModule } from './config.module';
export { ConfigValidationError, loadConfig } from './load-config';
export { loadConfigFromProcess } from './process-environment';
