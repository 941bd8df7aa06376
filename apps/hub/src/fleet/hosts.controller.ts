import { Body, Controller, Delete, Get, Headers, HttpCode, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../access/access-policy';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import type { Principal } from '../access/principal';
import { RotateErasureKey, RotateErasureKeySchema } from '../../../../libs/contracts/src';
import { HostsService } from './hosts.service';

/** A host's own data: its agent (erasure key) or an admin may read it and erase it. */
@ApiTags('hosts')
@ApiBearerAuth()
@Controller('api/v1/hosts')
@Access('host-key')
export class HostsController {
  constructor(private readonly hosts: HostsService) {}

  @Get(':id')
  @ApiOperation({ summary: 'Everything the hub holds about a host: profile history, collector records, reports' })
  describe(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal, @Headers('authorization') authorization?: string) {
    return this.hosts.describe(id, principal, authorization);
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Erase every row about a host; answers a receipt of rows deleted per table' })
  erase(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal, @Headers('authorization') authorization?: string) {
    return this.hosts.erase(id, principal, authorization);
  }

  @Put(':id/erasure-key')
  @ApiOperation({ summary: "Replace the host's erasure-key hash; authenticated with the current key only" })
  rotateKey(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body({ schema: RotateErasureKeySchema }) body: RotateErasureKey,
    @Headers('authorization') authorization?: string,
  ) {
    return this.hosts.rotateKey(id, authorization, body.erasureKeyHash);
  }
}
