import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import type { DataSource } from 'typeorm';
import { ROLES, Role } from './access-policy';
import { AccountRepository } from './account.repository';
import { AccountsService } from './accounts.service';
import { AuditEventRepository } from './audit-event.repository';
import { AuditTrail } from './audit-trail.service';
import { Principal } from './principal';
import { RigKeyRepository } from './rig-key.repository';
import { RigKeysService } from './rig-keys.service';

export const HUB_USAGE = `usage: hub <command>
  users add <username> --role <viewer|developer|qa|admin> [--name "Display Name"] [--password-stdin]
  users list
  users disable <username> | users enable <username>
  users reset-password <username> [--password-stdin]
  users set-role <username> <role>
  rig-keys add <rig name> [--label name=value ...]
  rig-keys list | rig-keys revoke <id>
Without --password-stdin a password is generated and printed once. The database is the hub's
(DATABASE_URL, or the embedded one under DATA_DIR while the hub is stopped).`;

export class UsageError extends Error {}

type Out = (text: string) => void;

function need(value: string | undefined, what: string): string {
  if (!value) throw new UsageError(`missing ${what}`);
  return value;
}

function role(value: string | undefined): Role {
  if (!value || !(ROLES as readonly string[]).includes(value)) throw new UsageError(`--role: one of ${ROLES.join(', ')}`);
  return value as Role;
}

/** `hub users ...` and `hub rig-keys ...`: the operator's account and key administration, audited as the CLI. */
export async function hubCommand(dataSource: DataSource, argv: string[], out: Out, readStdin: () => Promise<string>): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      name: { type: 'string' },
      label: { type: 'string', multiple: true },
      'password-stdin': { type: 'boolean', default: false },
    },
  });
  const [group, verb, subject, extra] = positionals;
  const audit = new AuditTrail(new AuditEventRepository(dataSource));
  const actor: Principal = { kind: 'system', name: `cli:${userInfo().username}` };
  const password = async () => (values['password-stdin'] ? (await readStdin()).replace(/\r?\n$/, '') : undefined);

  if (group === 'users') {
    const accounts = new AccountsService(dataSource, new AccountRepository(dataSource), audit);
    switch (verb) {
      case 'add': {
        const made = await accounts.add(actor, { username: need(subject, 'username'), role: role(values.role), displayName: values.name, password: await password() });
        out(`added ${made.account.username} (${made.account.role}, id ${made.account.id})`);
        if (made.password) out(`one-time password (not shown again): ${made.password}`);
        return;
      }
      case 'list':
        for (const a of await accounts.list()) {
          out([a.username, a.role, a.disabledAt ? 'disabled' : 'enabled', a.sso ? 'sso' : 'local', a.displayName].join('\t'));
        }
        return;
      case 'disable':
        out(`disabled ${(await accounts.disable(actor, need(subject, 'username'))).username}; their sessions ended`);
        return;
      case 'enable':
        out(`enabled ${(await accounts.enable(actor, need(subject, 'username'))).username}`);
        return;
      case 'set-role':
        out(`${need(subject, 'username')} is now ${(await accounts.setRole(actor, subject!, role(extra))).role}`);
        return;
      case 'reset-password': {
        const reset = await accounts.resetPassword(actor, need(subject, 'username'), await password());
        out(`password of ${reset.account.username} replaced; their sessions ended`);
        if (reset.password) out(`one-time password (not shown again): ${reset.password}`);
        return;
      }
    }
  }
  if (group === 'rig-keys') {
    const keys = new RigKeysService(dataSource, new RigKeyRepository(dataSource), audit);
    switch (verb) {
      case 'add': {
        const labels = Object.fromEntries(
          (values.label ?? []).map((l) => {
            const eq = l.indexOf('=');
            if (eq < 1) throw new UsageError(`--label ${l}: expected name=value`);
            return [l.slice(0, eq), l.slice(eq + 1)];
          }),
        );
        const made = await keys.issue(actor, { rigName: need(subject, 'rig name'), labels });
        out(`rig key ${made.id} for ${made.rigName}; the key (not shown again): ${made.key}`);
        return;
      }
      case 'list':
        for (const k of await keys.list()) out([k.id, k.rigName, k.prefix, k.revokedAt ? 'revoked' : 'active', JSON.stringify(k.labels)].join('\t'));
        return;
      case 'revoke':
        out(`revoked ${(await keys.revoke(actor, need(subject, 'key id'))).id}`);
        return;
    }
  }
  throw new UsageError(HUB_USAGE);
}
