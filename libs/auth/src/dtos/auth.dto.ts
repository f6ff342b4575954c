import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { type Role, ROLES } from '@app/access';

/** How a login hands over its refresh token: `cookie` sets it as an HttpOnly cookie. */
export const SESSION_MODES = ['cookie'] as const;
export type SessionMode = (typeof SESSION_MODES)[number];

export class LoginDto {
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  password!: string;

  /**
   * `cookie` for browsers: the refresh token is set as an HttpOnly cookie (with a CSRF
   * cookie beside it) instead of being answered. Absent: the token pair is answered.
   */
  @IsOptional()
  @IsIn(SESSION_MODES)
  @ApiProperty({ enum: SESSION_MODES, required: false })
  session?: SessionMode;
}

export class RefreshDto {
  /**
   * The refresh token from login or the previous refresh; each works once. Omit it to use
   * the browser session's cookie, with `X-CSRF-Token`.
   */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  refreshToken?: string;
}

export class LogoutDto {
  /** The refresh token whose session ends. Omit it to end the browser session of the cookie. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  refreshToken?: string;
}

/** What a browser session is answered: its refresh token is in a cookie. */
export class AccessTokenDto {
  /** Send as `Authorization: Bearer <accessToken>`. */
  @ApiProperty({ maxLength: 2048, pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$' })
  accessToken!: string;
  /** Seconds until the access token expires. */
  expiresIn!: number;
  @ApiProperty({ enum: ['Bearer'] })
  tokenType!: 'Bearer';
}

export class TokenPairDto extends AccessTokenDto {
  /** Exchange at `POST /v1/auth/refresh` for a new pair; works once. */
  @ApiProperty({ maxLength: 200 })
  refreshToken!: string;
}

export class MeDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ enum: ['user', 'apiKey'] })
  kind!: 'user' | 'apiKey';
  @ApiProperty({ enum: ROLES })
  role!: Role;
  @ApiProperty({ format: 'uuid' })
  organizationId!: string;
}
