import { type Role, ROLES } from '@app/access';
import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import type { UserEntity } from '../entities/user.entity';

export class CreateUserDto {
  @IsEmail()
  @MaxLength(254)
  email!: string;

  /** At least 12 characters. */
  @IsString()
  @MinLength(12)
  @MaxLength(1024)
  password!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;
}

export class UpdateUserDto {
  /** A new role; an API-key caller must sign this request. */
  @ApiProperty({ enum: ROLES, required: false })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  /** A new password (at least 12 characters); signs the user out everywhere. */
  @IsOptional()
  @IsString()
  @MinLength(12)
  @MaxLength(1024)
  password?: string;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ maxLength: 254 })
  email!: string;
  @ApiProperty({ enum: ROLES })
  role!: Role;
  createdAt!: Date;
  updatedAt!: Date;
}

export class UserPageDto {
  @ApiProperty({ type: [UserDto], maxItems: 500 })
  data!: UserDto[];
  /** Pass as `cursor` for the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true, maxLength: 512 })
  nextCursor!: string | null;
}

export function mapUser(user: UserEntity): UserDto {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}
