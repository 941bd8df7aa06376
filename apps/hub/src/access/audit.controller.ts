import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditQuery, AuditQuerySchema } from '../../../../libs/contracts/src';
import { Access } from './access-policy';
import { AuditTrail } from './audit-trail.service';

@ApiTags('access')
@ApiBearerAuth()
@Controller('api/v1/audit')
@Access('admin')
export class AuditController {
  constructor(private readonly audit: AuditTrail) {}

  @Get()
  @ApiOperation({ summary: 'The audit trail, newest first (filters action, actorKind, actorId, targetType, targetId, from, to; paging by before)' })
  list(@Query({ schema: AuditQuerySchema }) query: AuditQuery) {
    return this.audit.list(query);
  }
}
