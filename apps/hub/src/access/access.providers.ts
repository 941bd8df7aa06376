import { Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessGuard } from './access.guard';
import { AccountRepository } from './account.repository';
import { AccountsService } from './accounts.service';
import { ApiTokenRepository } from './api-token.repository';
import { ApiTokensController } from './api-tokens.controller';
import { ApiTokensService } from './api-tokens.service';
import { AuditEventRepository } from './audit-event.repository';
import { AuditTrail } from './audit-trail.service';
import { AuditController } from './audit.controller';
import { OidcService } from './oidc.service';
import { PrincipalResolver } from './principal-resolver.service';
import { RigKeyRepository } from './rig-key.repository';
import { RigKeysController } from './rig-keys.controller';
import { RigKeysService } from './rig-keys.service';
import { SessionController } from './session.controller';
import { SessionRepository } from './session.repository';
import { SessionsService } from './sessions.service';
import { SignInController } from './sign-in.controller';

/** Who may do what: used by API and worker processes alike (the worker records audit events too). */
export const accessSharedProviders: Provider[] = [AuditEventRepository, AuditTrail];

/** The HTTP side: the global guard and the credentials it resolves. */
export const accessApiProviders: Provider[] = [
  { provide: APP_GUARD, useClass: AccessGuard },
  PrincipalResolver,
  AccountRepository,
  AccountsService,
  ApiTokenRepository,
  ApiTokensService,
  RigKeyRepository,
  RigKeysService,
  SessionRepository,
  SessionsService,
  OidcService,
];

export const accessControllers = [AuditController, SessionController, SignInController, ApiTokensController, RigKeysController];
