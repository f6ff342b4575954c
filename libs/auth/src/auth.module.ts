import { AuditCoreModule, AuditModule } from '@app/audit';
import { AppConfig } from '@app/config';
import { LongRequestGuard, RateLimitGuard, RateLimitModule } from '@app/rate-limit';
import { TenancyModule } from '@app/tenancy';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeysController } from './controllers/api-keys.controller';
import { AuthController } from './controllers/auth.controller';
import { UsersController } from './controllers/users.controller';
import { ApiKeyEntity } from './entities/api-key.entity';
import { RefreshTokenEntity } from './entities/refresh-token.entity';
import { SignatureNonceEntity } from './entities/signature-nonce.entity';
import { UserEntity } from './entities/user.entity';
import { AuthenticationGuard } from './guards/authentication.guard';
import { PermissionGuard } from './guards/permission.guard';
import { SignatureGuard } from './guards/signature.guard';
import { ApiKeysRepository } from './repositories/api-keys.repository';
import { RefreshTokensRepository } from './repositories/refresh-tokens.repository';
import { SignatureNoncesRepository } from './repositories/signature-nonces.repository';
import { SignatureNoncePrunerJob } from './jobs/signature-nonce-pruner.job';
import { UsersRepository } from './repositories/users.repository';
import { ApiKeysService } from './services/api-keys.service';
import { AuthService } from './services/auth.service';
import { BootstrapOnStartService } from './services/bootstrap-on-start.service';
import { BrowserSessionService } from './services/browser-session.service';
import { OrganizationBootstrapService } from './services/organization-bootstrap.service';
import { PrincipalCacheService } from './services/principal-cache.service';
import { UnknownKeyPrefixesService } from './services/unknown-key-prefixes.service';
import { RequestSignatureService } from './services/request-signature.service';
import { UsersService } from './services/users.service';
import { ApiKeyStrategy } from './strategies/api-key.strategy';
import { JwtStrategy } from './strategies/jwt.strategy';

const services = [
  OrganizationBootstrapService,
  ApiKeysService,
  AuthService,
  UsersService,
  RequestSignatureService,
];

/**
 * Organizations' people and API keys without HTTP: the entities, repositories and services
 * (what the CLI imports). The services are exported for the routes and guards of
 * {@link AuthModule}; other libs may use only what `index.ts` exports.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([UserEntity, ApiKeyEntity, RefreshTokenEntity, SignatureNonceEntity]),
    TenancyModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secret: config.auth.jwtSecret,
        signOptions: { algorithm: 'HS256' as const },
      }),
    }),
    AuditCoreModule,
  ],
  providers: [
    UsersRepository,
    ApiKeysRepository,
    RefreshTokensRepository,
    SignatureNoncesRepository,
    PrincipalCacheService,
    UnknownKeyPrefixesService,
    ...services,
  ],
  exports: [...services, SignatureNoncesRepository],
})
export class AuthCoreModule {}

/**
 * Organizations, people, API keys and the request pipeline that admits them: the routes,
 * first-start bootstrap, nonce pruning and the global guards, in order:
 * authenticate → rate-limit → check the permission → verify the signature → take a
 * long-request slot (exports, streams, uploads: only what passed everything else holds one).
 * Nest runs global guards in the order their providers are registered, so
 * they are listed together here, in that order.
 */
@Module({
  imports: [AuthCoreModule, AuditModule, PassportModule, RateLimitModule],
  controllers: [AuthController, ApiKeysController, UsersController],
  providers: [
    ApiKeyStrategy,
    JwtStrategy,
    BrowserSessionService,
    BootstrapOnStartService,
    SignatureNoncePrunerJob,
    { provide: APP_GUARD, useClass: AuthenticationGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: PermissionGuard },
    { provide: APP_GUARD, useClass: SignatureGuard },
    { provide: APP_GUARD, useClass: LongRequestGuard },
  ],
  exports: [AuthCoreModule],
})
export class AuthModule {}
