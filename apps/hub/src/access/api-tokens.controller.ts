import { Body, Controller, Delete, ForbiddenException, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreateApiToken, CreateApiTokenSchema } from '../../../../libs/contracts/src';
import { Access } from './access-policy';
import { ApiTokensService } from './api-tokens.service';
import { CurrentPrincipal } from './current-principal.decorator';
import { hasRole, Principal, roleOf } from './principal';

/** The person behind a principal: tokens belong to people, so configured tokens and keys have none. */
function personOf(p: Principal): { id: string; role: NonNullable<ReturnType<typeof roleOf>> } {
  if (p.kind === 'person') return { id: p.id, role: p.role };
  // A token acts for its owner with at most its own scope, so it cannot mint a stronger one.
  if (p.kind === 'token') return { id: p.userId, role: p.role };
  throw new ForbiddenException('API tokens belong to a person: sign in, or use one of your tokens');
}

/** A person's API tokens: created and revoked by their owner, listed and revoked by admins too. */
@ApiTags('access')
@ApiBearerAuth()
@Controller('api/v1/tokens')
@Access('viewer')
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  @Post()
  @ApiOperation({ summary: 'New API token for the caller (scope at most their role); the secret is in this answer only' })
  create(@Body({ schema: CreateApiTokenSchema }) body: CreateApiToken, @CurrentPrincipal() principal: Principal) {
    return this.tokens.issue(principal, personOf(principal), body);
  }

  @Get()
  @ApiOperation({ summary: "The caller's tokens; an admin may pass userId, or all=true" })
  list(@CurrentPrincipal() principal: Principal, @Query('userId') userId?: string, @Query('all') all?: string) {
    // ADMIN_TOKEN is no person, so for it the list is everyone's.
    if (hasRole(principal, 'admin') && (userId || all === 'true' || principal.kind === 'admin-token')) return this.tokens.list(userId);
    return this.tokens.list(personOf(principal).id);
  }

  @Delete(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a token (its owner or an admin)' })
  revoke(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal) {
    const owner = principal.kind === 'person' ? principal.id : principal.kind === 'token' ? principal.userId : null;
    return this.tokens.revoke(principal, owner, id);
  }
}
