import {
  changesRoleOrPassword,
  CurrentPrincipal,
  grantsPrivilegedRole,
  type Principal,
  RequirePermission,
  RequireSignature,
} from '@app/access';
import { PageQueryDto, type RequestMeta, RequestMetadata } from '@app/common';
import { Idempotent } from '@app/idempotency';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CreateUserDto, UpdateUserDto, UserDto, UserPageDto } from '../dtos/user.dto';
import { UsersService } from '../services/users.service';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Idempotent()
  @RequirePermission('users:manage')
  @RequireSignature({ when: grantsPrivilegedRole })
  @ApiOperation({
    summary: 'Add a person to the organization (an admin or service by API key must be signed)',
  })
  @ApiCreatedResponse({ type: UserDto })
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateUserDto,
    @RequestMetadata() meta: RequestMeta,
  ): Promise<UserDto> {
    return this.users.create(principal, body, meta);
  }

  @Get()
  @RequirePermission('users:manage')
  @ApiOperation({ summary: "List the organization's people" })
  @ApiOkResponse({ type: UserPageDto })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: PageQueryDto,
  ): Promise<UserPageDto> {
    return this.users.list(principal.organizationId, query);
  }

  @Get(':id')
  @RequirePermission('users:manage')
  @ApiOperation({ summary: 'One person' })
  @ApiOkResponse({ type: UserDto })
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<UserDto> {
    return this.users.get(principal.organizationId, id);
  }

  @Patch(':id')
  @Idempotent()
  @RequirePermission('users:manage')
  @RequireSignature({ when: changesRoleOrPassword })
  @ApiOperation({
    summary: "Change a person's role or password (by API key, it must be signed)",
  })
  @ApiOkResponse({ type: UserDto })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateUserDto,
    @RequestMetadata() meta: RequestMeta,
  ): Promise<UserDto> {
    return this.users.update(principal, id, body, meta);
  }

  @Delete(':id')
  @HttpCode(204)
  @Idempotent()
  @RequirePermission('users:manage')
  @ApiOperation({ summary: 'Remove a person from the organization' })
  @ApiNoContentResponse({ description: 'Removed' })
  delete(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @RequestMetadata() meta: RequestMeta,
  ): Promise<void> {
    return this.users.delete(principal, id, meta);
  }
}
