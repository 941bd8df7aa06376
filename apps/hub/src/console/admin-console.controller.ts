import { Body, Controller, Get, Post, Query, Redirect, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { z } from 'zod';
import { renderAdminPage } from '../../../../libs/console-pages/src';
import { Access } from '../access/access-policy';
import { AccountsService } from '../access/accounts.service';
import { ApiTokensService } from '../access/api-tokens.service';
import { AuditEventRepository } from '../access/audit-event.repository';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import type { Principal } from '../access/principal';
import { RigKeysService } from '../access/rig-keys.service';
import { AdminJiraService } from './admin-jira.service';
import { ADMIN_NOTICES, AddPersonFormSchema, AdminPageQuerySchema, IdFormSchema, UsernameFormSchema } from './admin-console.schema';
import { ConsoleErrorFilter } from './console-error.filter';
import { ConsolePage } from './console-page.decorator';
import { viewerOf } from './viewer';

/** Administration pages: people and roles, API tokens, rig keys, Jira settings and its test, the audit log; admins only. */
@ApiExcludeController()
@Controller('admin')
@Access('admin')
@UseFilters(ConsoleErrorFilter)
export class AdminConsoleController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly tokens: ApiTokensService,
    private readonly rigKeys: RigKeysService,
    private readonly audit: AuditEventRepository,
    private readonly jira: AdminJiraService,
  ) {}

  private async page(who: Principal, action: string, extra: { notice?: string | null; secret?: { what: string; value: string } }) {
    const [users, tokens, rigKeys, audit, jiraCheck] = await Promise.all([
      this.accounts.list(),
      this.tokens.list(undefined),
      this.rigKeys.list(),
      this.audit.find({ limit: 100, ...(action ? { action } : {}) }),
      this.jira.lastCheck(),
    ]);
    return renderAdminPage({ users, tokens, rigKeys, audit, auditAction: action, jira: this.jira.settings(), jiraCheck, viewer: viewerOf(who), ...extra });
  }

  @Get()
  @ConsolePage()
  show(@Query({ schema: AdminPageQuerySchema }) q: { action?: string; done?: string }, @CurrentPrincipal() who: Principal): Promise<string> {
    return this.page(who, q.action ?? '', { notice: q.done ? (ADMIN_NOTICES[q.done] ?? null) : null });
  }

  /** Answered with the page itself rather than a redirect: the generated password is shown once and never stored. */
  @Post('users')
  @ConsolePage()
  async addPerson(@Body({ schema: AddPersonFormSchema }) body: z.infer<typeof AddPersonFormSchema>, @CurrentPrincipal() who: Principal): Promise<string> {
    const { account, password } = await this.accounts.add(who, { username: body.username, role: body.role });
    return this.page(who, '', { secret: { what: `Password of ${account.username} (${account.role})`, value: password! } });
  }

  @Post('users/disable')
  @Redirect('/admin?done=disabled', 303)
  async disable(@Body({ schema: UsernameFormSchema }) body: { username: string }, @CurrentPrincipal() who: Principal): Promise<void> {
    await this.accounts.disable(who, body.username);
  }

  @Post('users/enable')
  @Redirect('/admin?done=enabled', 303)
  async enable(@Body({ schema: UsernameFormSchema }) body: { username: string }, @CurrentPrincipal() who: Principal): Promise<void> {
    await this.accounts.enable(who, body.username);
  }

  @Post('tokens/revoke')
  @Redirect('/admin?done=token-revoked#tokens', 303)
  async revokeToken(@Body({ schema: IdFormSchema }) body: { id: string }, @CurrentPrincipal() who: Principal): Promise<void> {
    const ownUserId = who.kind === 'person' ? who.id : who.kind === 'token' ? who.userId : null;
    await this.tokens.revoke(who, ownUserId, body.id);
  }

  /** Runs the connection test; the GET after the redirect shows its result (kept in the audit trail). */
  @Post('jira/check')
  @Redirect('/admin?done=jira-checked#jira', 303)
  async checkJira(@CurrentPrincipal() who: Principal): Promise<void> {
    await this.jira.check(who);
  }

  @Post('rig-keys/revoke')
  @Redirect('/admin?done=rig-key-revoked#rig-keys', 303)
  async revokeRigKey(@Body({ schema: IdFormSchema }) body: { id: string }, @CurrentPrincipal() who: Principal): Promise<void> {
    await this.rigKeys.revoke(who, body.id);
  }
}
