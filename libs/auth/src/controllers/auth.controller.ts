import { CurrentPrincipal, type Principal, Public, RequirePermission } from '@app/access';
import { type RequestMeta, RequestMetadata } from '@app/common';
import { RateLimitClass } from '@app/rate-limit';
import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { LoginDto, MeDto, RefreshDto, TokenPairDto } from '../dtos/auth.dto';
import { AuthService } from '../services/auth.service';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @RateLimitClass('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with email and password' })
  @ApiOkResponse({ type: TokenPairDto })
  login(@Body() body: LoginDto, @RequestMetadata() meta: RequestMeta): Promise<TokenPairDto> {
    return this.auth.login(body.email, body.password, meta);
  }

  @Post('refresh')
  @Public()
  @RateLimitClass('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange a refresh token (once) for a new token pair' })
  @ApiOkResponse({ type: TokenPairDto })
  refresh(@Body() body: RefreshDto, @RequestMetadata() meta: RequestMeta): Promise<TokenPairDto> {
    return this.auth.refresh(body.refreshToken, meta);
  }

  @Get('me')
  @RequirePermission('auth:me')
  @ApiOperation({ summary: 'Who is calling' })
  @ApiOkResponse({ type: MeDto })
  me(@CurrentPrincipal() principal: Principal): MeDto {
    return this.auth.me(principal);
  }
}
