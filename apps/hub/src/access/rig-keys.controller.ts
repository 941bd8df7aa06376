import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreateRigKey, CreateRigKeySchema } from '../../../../libs/contracts/src';
import { Access } from './access-policy';
import { CurrentPrincipal } from './current-principal.decorator';
import type { Principal } from './principal';
import { RigKeysService } from './rig-keys.service';

/** Test rigs' ingest keys: admins only. */
@ApiTags('access')
@ApiBearerAuth()
@Controller('api/v1/rig-keys')
@Access('admin')
export class RigKeysController {
  constructor(private readonly keys: RigKeysService) {}

  @Post()
  @ApiOperation({ summary: 'New rig key with its rig name and default labels; the key is in this answer only' })
  create(@Body({ schema: CreateRigKeySchema }) body: CreateRigKey, @CurrentPrincipal() principal: Principal) {
    return this.keys.issue(principal, body);
  }

  @Get()
  @ApiOperation({ summary: 'Every rig key (never the secret)' })
  list() {
    return this.keys.list();
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a rig key' })
  revoke(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal) {
    return this.keys.revoke(principal, id);
  }
}
