import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from './access-policy';
import { CurrentPrincipal } from './current-principal.decorator';
import { actorOf, Principal, roleOf } from './principal';

@ApiTags('access')
@Controller('api/v1/session')
@Access('viewer')
export class SessionController {
  @Get()
  @ApiOperation({ summary: 'Who the caller is, with which role; for a browser session also the CSRF token its writes must send' })
  whoAmI(@CurrentPrincipal() principal: Principal) {
    const actor = actorOf(principal);
    return {
      kind: actor.kind,
      id: actor.id,
      name: actor.name,
      role: roleOf(principal),
      ...(principal.kind === 'person' ? { csrfToken: principal.csrfToken } : {}),
    };
  }
}
