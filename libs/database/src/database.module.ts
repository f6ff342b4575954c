import { AppConfig } from '@app/config';
import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { buildDataSourceOptions } from './data-source-options';
import { DatabaseNotifications } from './database-notifications';
import { LongConnections } from './long-connections';
import { DatabasePoolMetrics } from './pool-metrics';

export interface DatabaseModuleOptions {
  /** Overrides `database.url`; set when an embedded server was started. */
  connectionUrl: string;
  /** Shown in `pg_stat_activity`, so operators can tell api from worker. */
  applicationName: string;
}

/**
 * TypeORM on PostgreSQL. Migrations run on start unless
 * `DATABASE_MIGRATIONS_RUN=false`; feature modules register their entities
 * with `TypeOrmModule.forFeature` and are picked up automatically.
 */
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      // Every feature module may listen for notifications (one connection per process).
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            ...buildDataSourceOptions(
              config.database,
              options.connectionUrl,
              options.applicationName,
            ),
            migrationsRun: config.database.migrationsRun,
            autoLoadEntities: true,
            // Fail start-up quickly instead of the default nine 3 s retries.
            retryAttempts: 2,
            retryDelay: 1000,
            logging: ['error', 'warn', 'migration'],
            logger: new TypeOrmNestLogger(),
          }),
        }),
      ],
      providers: [DatabasePoolMetrics, DatabaseNotifications, LongConnections],
      exports: [DatabaseNotifications, LongConnections],
    };
  }
}

/** Sends TypeORM's own messages to Nest's logger (and so to pino). */
class TypeOrmNestLogger {
  private readonly logger = new Logger('Database');
  logQuery(): void {}
  logQueryError(error: string | Error): void {
    this.logger.warn(`query failed: ${error instanceof Error ? error.message : error}`);
  }
  logQuerySlow(time: number): void {
    this.logger.warn(`slow query: ${time} ms`);
  }
  logSchemaBuild(message: string): void {
    this.logger.debug(message);
  }
  logMigration(message: string): void {
    this.logger.log(message);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
    else this.logger.debug(String(message));
  }
}
