import { type Role, ROLES } from '@app/access';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import type { ApiKeyEntity } from '../entities/api-key.entity';

export class CreateApiKeyDto {
  /** A label for people, e.g. `ingest pipeline`. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  /** The key's role in the organization. */
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  /** When the key stops working (ISO-8601, in the future); never when absent. */
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  expiresAt?: Date;
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ maxLength: 100 })
  name!: string;
  @ApiProperty({ enum: ROLES })
  role!: Role;
  /** The visible part of the key (`sl_<prefix>_…`), to recognise it. */
  @ApiProperty({ maxLength: 12, pattern: '^[0-9A-Za-z]{12}$' })
  prefix!: string;
  expiresAt!: Date | null;
  revokedAt!: Date | null;
  rotatedAt!: Date | null;
  lastUsedAt!: Date | null;
  createdAt!: Date;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  /** The key itself. Shown only in this response: store it now. */
  @ApiProperty({ maxLength: 59, pattern: '^sl_[0-9A-Za-z]{12}_[A-Za-z0-9_-]{43}$' })
  key!: string;
}

export class ApiKeyPageDto {
  @ApiProperty({ type: [ApiKeyDto], maxItems: 500 })
  data!: ApiKeyDto[];
  /** Pass as `cursor` for the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true, maxLength: 512 })
  nextCursor!: string | null;
}

export function mapApiKey(key: ApiKeyEntity): ApiKeyDto {
  return {
    id: key.id,
    name: key.name,
    role: key.role,
    prefix: key.prefix,
    expiresAt: key.expiresAt,
    revokedAt: key.revokedAt,
    rotatedAt: key.rotatedAt,
    lastUsedAt: key.lastUsedAt,
    createdAt: key.createdAt,
  };
}
