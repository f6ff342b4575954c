import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { type Role, ROLES } from '@app/access';

export class LoginDto {
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  password!: string;
}

export class RefreshDto {
  /** The refresh token from login or the previous refresh; each works once. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  refreshToken!: string;
}

export class TokenPairDto {
  /** Send as `Authorization: Bearer <accessToken>`. */
  @ApiProperty({ maxLength: 2048, pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$' })
  accessToken!: string;
  /** Exchange at `POST /v1/auth/refresh` for a new pair; works once. */
  @ApiProperty({ maxLength: 200 })
  refreshToken!: string;
  /** Seconds until the access token expires. */
  expiresIn!: number;
  @ApiProperty({ enum: ['Bearer'] })
  tokenType!: 'Bearer';
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
