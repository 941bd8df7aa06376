import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { UserAccountEntity } from '../../../../libs/storage/src/entities';
import { ROLES, Role } from './access-policy';
import { AccountRepository } from './account.repository';
import { AuditTrail } from './audit-trail.service';
import { DUMMY_HASH, generatePassword, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './password';
import { Principal } from './principal';

export interface NewPerson {
  username: string;
  role: Role;
  displayName?: string;
  /** Omitted: a password is generated and returned once. */
  password?: string;
}

/** What an account looks like outside: never its password hash. */
export function publicAccount(a: UserAccountEntity) {
  return {
    id: a.id,
    username: a.username,
    displayName: a.displayName,
    role: a.role as Role,
    sso: a.oidcSubject !== null,
    disabledAt: a.disabledAt,
    createdAt: a.createdAt,
  };
}

const USERNAME = /^[A-Za-z0-9._@-]{1,64}$/;

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new BadRequestException(`password: at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > 1024) throw new BadRequestException('password: at most 1024 characters');
}

/** People's accounts: local (argon2id passwords) and OpenID Connect ones; every change is audited. */
@Injectable()
export class AccountsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accounts: AccountRepository,
    private readonly audit: AuditTrail,
  ) {}

  async add(actor: Principal, input: NewPerson): Promise<{ account: ReturnType<typeof publicAccount>; password?: string }> {
    if (!USERNAME.test(input.username)) throw new BadRequestException('username: 1-64 of letters, digits and . _ @ -');
    if (!ROLES.includes(input.role)) throw new BadRequestException(`role: one of ${ROLES.join(', ')}`);
    const generated = input.password === undefined ? generatePassword() : undefined;
    const password = input.password ?? generated!;
    checkPassword(password);
    const passwordHash = await hashPassword(password);
    const account = await this.dataSource.transaction(async (m) => {
      if (await this.accounts.byUsername(input.username, m)) throw new ConflictException(`user ${input.username} exists`);
      const row = await this.accounts.insert(m, {
        username: input.username,
        displayName: input.displayName ?? input.username,
        role: input.role,
        passwordHash,
        oidcIssuer: null,
        oidcSubject: null,
      });
      await this.audit.record(actor, 'user.add', { type: 'user', id: row.id }, null, publicAccount(row), m);
      return row;
    });
    return { account: publicAccount(account), ...(generated ? { password: generated } : {}) };
  }

  async list() {
    return (await this.accounts.list()).map(publicAccount);
  }

  async get(id: string) {
    const a = await this.accounts.byId(id);
    if (!a) throw new NotFoundException(`no user ${id}`);
    return a;
  }

  /** The account when the password is right and the account enabled; the same time spent otherwise. */
  async checkPassword(username: string, password: string): Promise<UserAccountEntity | null> {
    const a = await this.accounts.byUsername(username);
    const ok = await verifyPassword(a?.passwordHash ?? DUMMY_HASH, password);
    return ok && a && a.passwordHash && !a.disabledAt ? a : null;
  }

  async disable(actor: Principal, username: string) {
    return this.change(actor, username, 'user.disable', () => ({ disabledAt: new Date() }));
  }

  async enable(actor: Principal, username: string) {
    return this.change(actor, username, 'user.enable', () => ({ disabledAt: null }));
  }

  async setRole(actor: Principal, username: string, role: Role) {
    if (!ROLES.includes(role)) throw new BadRequestException(`role: one of ${ROLES.join(', ')}`);
    return this.change(actor, username, 'user.role', () => ({ role }));
  }

  /** Sets the given password, or generates one and returns it once. Sessions of the account end. */
  async resetPassword(actor: Principal, username: string, password?: string): Promise<{ account: ReturnType<typeof publicAccount>; password?: string }> {
    const generated = password === undefined ? generatePassword() : undefined;
    const next = password ?? generated!;
    checkPassword(next);
    const passwordHash = await hashPassword(next);
    const account = await this.change(actor, username, 'user.reset-password', () => ({ passwordHash }));
    return { account, ...(generated ? { password: generated } : {}) };
  }

  /**
   * First start: when no enabled admin exists, creates `admin` with a generated password and returns
   * it, to be printed once. Returns null when an admin exists.
   */
  async bootstrapAdmin(): Promise<{ username: string; password: string } | null> {
    if (await this.accounts.activeAdminExists()) return null;
    const username = (await this.accounts.byUsername('admin')) ? `admin-${Date.now()}` : 'admin';
    let password: string | undefined;
    try {
      ({ password } = await this.add({ kind: 'system', name: 'first-start bootstrap' }, { username, role: 'admin', displayName: 'Bootstrap admin' }));
    } catch (error) {
      // Another API process started at the same moment and made it.
      if (error instanceof ConflictException) return null;
      throw error;
    }
    return { username, password: password! };
  }

  private async change(actor: Principal, username: string, action: string, changes: () => Partial<UserAccountEntity>) {
    return this.dataSource.transaction(async (m) => {
      const before = await this.accounts.byUsername(username, m);
      if (!before) throw new NotFoundException(`no user ${username}`);
      const patch = changes();
      await this.accounts.update(m, before.id, patch);
      if ('disabledAt' in patch || 'passwordHash' in patch || 'role' in patch) await this.accounts.endSessions(m, before.id);
      const after = { ...before, ...patch };
      // The hash itself never enters the audit trail; that it changed does.
      await this.audit.record(actor, action, { type: 'user', id: before.id }, publicAccount(before), { ...publicAccount(after), ...('passwordHash' in patch ? { passwordChanged: true } : {}) }, m);
      return publicAccount(after);
    });
  }
}
