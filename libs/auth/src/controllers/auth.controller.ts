import { CurrentPrincipal, type Principal, Public, RequirePermission } from '@app/access';
import { type RequestMeta, RequestMetadata } from '@app/common';
import { RateLimitClass } from '@app/rate-limit';
import { applyDecorators, Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiBody,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  type ApiParamOptions,
  ApiTags,
  ApiUnauthorizedResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import {
  AccessTokenDto,
  LoginDto,
  LogoutDto,
  MeDto,
  RefreshDto,
  TokenPairDto,
} from '../dtos/auth.dto';
import { AuthService } from '../services/auth.service';
import { BrowserSessionService } from '../services/browser-session.service';
import {
  CSRF_COOKIE,
  CSRF_HEADER,
  REFRESH_COOKIE,
  type SessionCookieJar,
} from '../services/session-cookies';
import { SessionCookies } from './session-cookies.decorator';

const REFRESH_TOKEN_SCHEMA = {
  type: 'string',
  maxLength: 200,
  pattern: '^[0-9a-f-]{36}\\.[A-Za-z0-9_-]{43}$',
} as const;
const CSRF_TOKEN_SCHEMA = {
  type: 'string',
  maxLength: 64,
  pattern: '^[A-Za-z0-9_-]{43}$',
} as const;
const SET_COOKIE_SCHEMA = {
  type: 'string',
  maxLength: 1024,
  pattern: '^sightline_(refresh|csrf)=',
};

const PROBLEM_CONTENT = {
  'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } },
};

/** Either answer of login and refresh: the pair, or for a browser session the access token only. */
const TOKENS_RESPONSE = {
  anyOf: [{ $ref: getSchemaPath(TokenPairDto) }, { $ref: getSchemaPath(AccessTokenDto) }],
};

const SET_SESSION_COOKIES = {
  'Set-Cookie': {
    description:
      `Browser sessions only: \`${REFRESH_COOKIE}=<refresh token>; Max-Age=<refresh TTL>; Path=/v1/auth; ` +
      `HttpOnly; Secure; SameSite=Strict\` and \`${CSRF_COOKIE}=<CSRF token>; Max-Age=<refresh TTL>; ` +
      'Path=/; Secure; SameSite=Strict` (readable by scripts). `Secure` is dropped in development only.',
    schema: SET_COOKIE_SCHEMA,
  },
};

/**
 * The browser session's inputs: the refresh cookie and the double-submit CSRF token. Nest's
 * swagger has no decorator for cookie parameters, so `in` is overridden on a path one.
 */
const ApiSessionCookies = (): MethodDecorator =>
  applyDecorators(
    ApiParam({
      name: REFRESH_COOKIE,
      in: 'cookie',
      required: false,
      description: "The browser session's refresh token, used when the body has no `refreshToken`.",
      schema: REFRESH_TOKEN_SCHEMA,
    } as ApiParamOptions),
    ApiParam({
      name: CSRF_COOKIE,
      in: 'cookie',
      required: false,
      description: `The CSRF token; \`${CSRF_HEADER}\` must repeat it.`,
      schema: CSRF_TOKEN_SCHEMA,
    } as ApiParamOptions),
    ApiHeader({
      name: CSRF_HEADER,
      required: false,
      description: `Required with the \`${REFRESH_COOKIE}\` cookie: the value of the \`${CSRF_COOKIE}\` cookie (double submit).`,
      schema: CSRF_TOKEN_SCHEMA,
    }),
    ApiForbiddenResponse({
      description: `\`csrf-failed\`: the refresh cookie came without an \`${CSRF_HEADER}\` equal to the \`${CSRF_COOKIE}\` cookie; nothing was changed (problem+json)`,
      content: PROBLEM_CONTENT,
    }),
  );

@ApiTags('auth')
@ApiExtraModels(TokenPairDto, AccessTokenDto)
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: BrowserSessionService,
  ) {}

  @Post('login')
  @Public()
  @RateLimitClass('login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in with email and password',
    description:
      'Answers the token pair; with `"session": "cookie"` (browsers) answers the access token ' +
      'only and sets the refresh token and a CSRF token as cookies. A cookie session starts ' +
      'from a JSON body only (a form is a 415: another site could send one).',
  })
  @ApiUnauthorizedResponse({
    description: '`unauthenticated`: the email or password is wrong (problem+json)',
    content: PROBLEM_CONTENT,
  })
  @ApiOkResponse({ schema: TOKENS_RESPONSE, headers: SET_SESSION_COOKIES })
  login(
    @Body() body: LoginDto,
    @RequestMetadata() meta: RequestMeta,
    @SessionCookies() jar: SessionCookieJar,
  ): Promise<TokenPairDto | AccessTokenDto> {
    return this.sessions.login(body, meta, jar);
  }

  @Post('refresh')
  @Public()
  @RateLimitClass('refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Exchange a refresh token (once) for a new token pair',
    description:
      'With `refreshToken` in the body, answers a new pair. Without it, uses the browser ' +
      `session's \`${REFRESH_COOKIE}\` cookie, which needs \`${CSRF_HEADER}\`, answers the access ` +
      'token only and sets both cookies anew. Either way a refresh token works once; presenting ' +
      'a used one revokes its family.',
  })
  @ApiSessionCookies()
  @ApiBody({ type: RefreshDto, required: false })
  @ApiUnauthorizedResponse({
    description:
      '`unauthenticated`: the refresh token is invalid, expired or already used (its family is then revoked), or none was sent (problem+json)',
    content: PROBLEM_CONTENT,
  })
  @ApiOkResponse({ schema: TOKENS_RESPONSE, headers: SET_SESSION_COOKIES })
  refresh(
    @Body() body: RefreshDto,
    @RequestMetadata() meta: RequestMeta,
    @SessionCookies() jar: SessionCookieJar,
  ): Promise<TokenPairDto | AccessTokenDto> {
    return this.sessions.refresh(body, meta, jar);
  }

  @Post('logout')
  @Public()
  @RateLimitClass('refresh')
  @HttpCode(204)
  @ApiOperation({
    summary: 'End a session: revoke its refresh token family and delete the session cookies',
    description:
      "Takes `refreshToken` from the body, or the browser session's cookie (with " +
      `\`${CSRF_HEADER}\`). Needs no access token, so an expired session can still end. ` +
      'Idempotent: an unknown, revoked or absent token is a 204 too. Access tokens already ' +
      'issued stay valid until they expire.',
  })
  @ApiSessionCookies()
  @ApiBody({ type: LogoutDto, required: false })
  @ApiNoContentResponse({
    description: 'The family is revoked and both cookies are deleted.',
    headers: {
      'Set-Cookie': {
        description:
          `\`${REFRESH_COOKIE}=; Max-Age=0; Path=/v1/auth; HttpOnly; Secure; SameSite=Strict\` and ` +
          `\`${CSRF_COOKIE}=; Max-Age=0; Path=/; Secure; SameSite=Strict\`: both cookies deleted.`,
        schema: SET_COOKIE_SCHEMA,
      },
    },
  })
  logout(
    @Body() body: LogoutDto,
    @RequestMetadata() meta: RequestMeta,
    @SessionCookies() jar: SessionCookieJar,
  ): Promise<void> {
    return this.sessions.logout(body, meta, jar);
  }

  @Get('me')
  @RequirePermission('auth:me')
  @ApiOperation({ summary: 'Who is calling' })
  @ApiOkResponse({ type: MeDto })
  me(@CurrentPrincipal() principal: Principal): MeDto {
    return this.auth.me(principal);
  }
}
