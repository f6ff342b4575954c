import { CurrentPrincipal, type Principal, RequirePermission, RequireSignature } from '@app/access';
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
import { ApiKeyPageDto, CreateApiKeyDto, CreatedApiKeyDto } from '../dtos/api-key.dto';
import { ApiKeysService } from '../services/api-keys.service';

@ApiTags('api-keys')
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @RequirePermission('api-keys:manage')
  @RequireSignature()
  @Idempotent()
  @ApiOperation({ summary: 'Create an API key (the key is shown only in this response)' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateApiKeyDto,
    @RequestMetadata() meta: RequestMeta,
  ): Promise<CreatedApiKeyDto> {
    return this.apiKeys.create(principal, body, meta);
  }

  @Get()
  @RequirePermission('api-keys:manage')
  @ApiOperation({ summary: "List the organization's API keys (never their secrets)" })
  @ApiOkResponse({ type: ApiKeyPageDto })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: PageQueryDto,
  ): Promise<ApiKeyPageDto> {
    return this.apiKeys.list(principal.organizationId, query);
  }

  @Post(':id/rotate')
  @HttpCode(200)
  @RequirePermission('api-keys:manage')
  @RequireSignature()
  @Idempotent()
  @ApiOperation({ summary: 'Replace the secret of an API key; the old one stops working' })
  @ApiOkResponse({ type: CreatedApiKeyDto })
  rotate(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @RequestMetadata() meta: RequestMeta,
  ): Promise<CreatedApiKeyDto> {
    return this.apiKeys.rotate(principal, id, meta);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('api-keys:manage')
  @RequireSignature()
  @Idempotent()
  @ApiOperation({ summary: 'Revoke an API key' })
  @ApiNoContentResponse({ description: 'Revoked' })
  revoke(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @RequestMetadata() meta: RequestMeta,
  ): Promise<void> {
    return this.apiKeys.revoke(principal, id, meta);
  }
}
