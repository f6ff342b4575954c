import { AuthCoreModule } from '@app/auth';
import { CacheInfraModule } from '@app/cache';
import { type AppConfig, ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { type DynamicModule, Module } from '@nestjs/common';

/**
 * Composition root of the admin CLI: the same configuration and database as
 * the services (migrating on connect) and the auth services without HTTP.
 */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot({ connectionUrl: databaseUrl, applicationName: 'sightline-cli' }),
        // The principal cache, a dependency of the key services.
        CacheInfraModule,
        AuthCoreModule,
      ],
    };
  }
}
