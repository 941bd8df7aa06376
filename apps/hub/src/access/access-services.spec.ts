import { ConflictException, ForbiddenException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { loadHubConfig } from '../../../../libs/config/src';
import { hubDataSourceOptions } from '../../../../libs/storage/src/database-options';
import { createTestDatabase, TestDatabase } from '../../../../test/support/test-database';
import { AccountRepository } from './account.repository';
import { AccountsService } from './accounts.service';
import { ApiTokenRepository } from './api-token.repository';
import { ApiTokensService } from './api-tokens.service';
import { AuditEventRepository } from './audit-event.repository';
import { AuditTrail } from './audit-trail.service';
import { Principal } from './principal';
import { RigKeyRepository } from './rig-key.repository';
import { RigKeysService } from './rig-keys.service';
import { SessionRepository } from './session.repository';
import { SessionsService } from './sessions.service';

/** The account, token, rig-key and session services on a real database, without HTTP or queues. */
describe('access services', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let audit: AuditTrail;
  let accounts: AccountsService;
  let tokens: ApiTokensService;
  let rigKeys: RigKeysService;
  let sessions: SessionsService;
  const system: Principal = { kind: 'system', name: 'spec' };
  const MINUTE = 60_000;

  beforeAll(async () => {
    db = await createTestDatabase('access_services');
    ds = await new DataSource({ ...hubDataSourceOptions(db.url, 2), migrationsRun: true }).initialize();
    audit = new AuditTrail(new AuditEventRepository(ds));
    const accountRepo = new AccountRepository(ds);
    accounts = new AccountsService(ds, accountRepo, audit);
    tokens = new ApiTokensService(ds, new ApiTokenRepository(ds), audit);
    rigKeys = new RigKeysService(ds, new RigKeyRepository(ds), audit);
    const config = loadHubConfig({ SESSION_IDLE_MINUTES: '30', SESSION_MAX_HOURS: '8' });
    sessions = new SessionsService(config, new SessionRepository(ds), accountRepo, audit);
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const events = async (targetId: string) => (await audit.list({ targetId, limit: 50 })).events.map((e) => e.action);

  describe('AccountsService', () => {
    it('keeps only an argon2id hash, checks passwords, and refuses disabled accounts', async () => {
      const { account, password } = await accounts.add(system, { username: 'ann', role: 'developer' });
      expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
      const [row] = await ds.query('SELECT password_hash FROM user_account WHERE id = $1', [account.id]);
      expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(row.password_hash).not.toContain(password);
      expect((await accounts.checkPassword('ann', password!))?.id).toBe(account.id);
      expect(await accounts.checkPassword('ann', `${password}x`)).toBeNull();
      expect(await accounts.checkPassword('nobody', password!)).toBeNull();

      await accounts.disable(system, 'ann');
      expect(await accounts.checkPassword('ann', password!)).toBeNull();
      await accounts.enable(system, 'ann');
      expect((await accounts.checkPassword('ann', password!))?.id).toBe(account.id);
      expect(await events(account.id)).toEqual(['user.enable', 'user.disable', 'user.add']);
    });

    it('refuses short passwords, bad names and a second account of one name', async () => {
      await expect(accounts.add(system, { username: 'bob', role: 'qa', password: 'short' })).rejects.toThrow(/at least 12/);
      await expect(accounts.add(system, { username: 'bad name', role: 'qa' })).rejects.toThrow(/username/);
      await accounts.add(system, { username: 'bob', role: 'qa', password: 'long-enough-password' });
      await expect(accounts.add(system, { username: 'bob', role: 'viewer' })).rejects.toBeInstanceOf(ConflictException);
    });

    it('a reset password replaces the old one and never enters the audit trail', async () => {
      const { account } = await accounts.add(system, { username: 'cid', role: 'viewer', password: 'first-password-123' });
      const reset = await accounts.resetPassword(system, 'cid');
      expect(await accounts.checkPassword('cid', 'first-password-123')).toBeNull();
      expect((await accounts.checkPassword('cid', reset.password!))?.id).toBe(account.id);
      const trail = JSON.stringify((await audit.list({ targetId: account.id, limit: 10 })).events);
      expect(trail).toContain('passwordChanged');
      expect(trail).not.toContain('argon2');
      expect(trail).not.toContain(reset.password!);
    });

    it('bootstraps an admin only while there is none', async () => {
      const first = await accounts.bootstrapAdmin();
      expect(first?.username).toBe('admin');
      expect((await accounts.checkPassword('admin', first!.password))?.role).toBe('admin');
      expect(await accounts.bootstrapAdmin()).toBeNull();
    });
  });

  describe('ApiTokensService', () => {
    it('issues hashed, prefixed tokens no stronger than their owner; expired and revoked ones resolve to nothing', async () => {
      const { account } = await accounts.add(system, { username: 'dee', role: 'qa', password: 'dee-password-123' });
      const owner = { id: account.id, role: account.role };
      await expect(tokens.issue(system, owner, { name: 'x', scope: 'admin', expiresInDays: 1 })).rejects.toBeInstanceOf(ForbiddenException);
      const t = await tokens.issue(system, owner, { name: 'ci', scope: 'developer', expiresInDays: 1 });
      expect(t.token.startsWith('hub_pat_')).toBe(true);
      expect(await tokens.resolve(t.token)).toMatchObject({ kind: 'token', id: t.id, role: 'developer', userId: account.id, name: 'dee/ci' });
      expect(await tokens.resolve(`${t.token}x`)).toBeNull();
      // One day on, it has expired.
      expect(await tokens.resolve(t.token, new Date(Date.now() + 86_400_000 + MINUTE))).toBeNull();
      await tokens.revoke(system, null, t.id);
      expect(await tokens.resolve(t.token)).toBeNull();
      expect(await events(t.id)).toEqual(['api-token.revoke', 'api-token.create']);
    });

    it('only the owner or an admin revokes', async () => {
      const { account } = await accounts.add(system, { username: 'eve', role: 'viewer', password: 'eve-password-1234' });
      const t = await tokens.issue(system, { id: account.id, role: 'viewer' }, { name: 'x', scope: 'viewer', expiresInDays: 1 });
      const stranger: Principal = { kind: 'token', id: 'other', name: 'other', role: 'qa', userId: '00000000-0000-4000-8000-000000000000' };
      await expect(tokens.revoke(stranger, stranger.userId, t.id)).rejects.toThrow(/no token/);
      expect(await tokens.resolve(t.token)).not.toBeNull();
    });
  });

  describe('RigKeysService', () => {
    it('resolves a key to its rig and labels until it is revoked', async () => {
      const k = await rigKeys.issue(system, { rigName: 'rig-1', labels: { build: 'b1' } });
      expect(k.key.startsWith('hub_rig_')).toBe(true);
      expect(await rigKeys.resolve(k.key)).toEqual({ kind: 'rig', id: k.id, name: 'rig-1', labels: { build: 'b1' } });
      await rigKeys.revoke(system, k.id);
      expect(await rigKeys.resolve(k.key)).toBeNull();
    });
  });

  describe('SessionsService', () => {
    it('a session lives while used, ends when idle, at its absolute end, and with its account', async () => {
      const { account } = await accounts.add(system, { username: 'fay', role: 'qa', password: 'fay-password-1234' });
      const t0 = new Date();
      const s = await sessions.start(account, 'password', t0);
      expect(await sessions.resolve(s.secret, t0)).toMatchObject({ kind: 'person', id: account.id, role: 'qa', csrfToken: s.csrfToken });
      // Used every 20 minutes (idle limit 30), it lasts…
      let at = t0;
      for (let i = 0; i < 6; i++) {
        at = new Date(at.getTime() + 20 * MINUTE);
        expect(await sessions.resolve(s.secret, at)).not.toBeNull();
      }
      // …until 31 idle minutes pass.
      expect(await sessions.resolve(s.secret, new Date(at.getTime() + 31 * MINUTE))).toBeNull();

      const busy = await sessions.start(account, 'password', t0);
      expect(await sessions.resolve(busy.secret, new Date(t0.getTime() + 8 * 60 * MINUTE + 1))).toBeNull();

      const other = await sessions.start(account, 'password');
      await accounts.disable(system, 'fay');
      expect(await sessions.resolve(other.secret)).toBeNull();
    });
  });

  it('the audit trail is append-only in the database', async () => {
    await expect(ds.query('UPDATE audit_event SET action = $1', ['x'])).rejects.toThrow(/append-only/);
    await expect(ds.query('DELETE FROM audit_event')).rejects.toThrow(/append-only/);
  });
});
