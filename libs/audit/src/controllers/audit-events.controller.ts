import { CurrentPrincipal, type Principal, RequirePermission } from '@app/access';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditEventPageDto, ListAuditEventsQueryDto } from '../dtos/audit-event.dto';
import { AuditService } from '../services/audit.service';

@ApiTags('audit')
@Controller('audit-events')
export class AuditEventsController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @RequirePermission('audit:read')
  @ApiOperation({ summary: "List the organization's audit events, newest first" })
  @ApiOkResponse({ type: AuditEventPageDto })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListAuditEventsQueryDto,
  ): Promise<AuditEventPageDto> {
    return this.audit.list(principal.organizationId, query);
  }
}
