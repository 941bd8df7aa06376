import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CreateRigKey } from '../../../../libs/contracts/src';
import type { RigKeyEntity } from '../../../../libs/storage/src/entities';
import { AuditTrail } from './audit-trail.service';
import { newSecret, RIG_KEY_PREFIX, secretHash } from './credentials';
import { Principal } from './principal';
import { RigKeyRepository } from './rig-key.repository';

export function publicRigKey(k: RigKeyEntity) {
  return {
    id: k.id,
    rigName: k.rigName,
    labels: k.labels,
    prefix: k.keyPrefix,
    createdAt: k.createdAt,
    revokedAt: k.revokedAt,
    lastUsedAt: k.lastUsedAt,
  };
}

/** Ingest-only keys for test rigs, each with a rig name and the labels added to every report it brings. */
@Injectable()
export class RigKeysService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: RigKeyRepository,
    private readonly audit: AuditTrail,
  ) {}

  async issue(actor: Principal, input: CreateRigKey): Promise<{ key: string } & ReturnType<typeof publicRigKey>> {
    const secret = newSecret(RIG_KEY_PREFIX);
    const createdBy = actor.kind === 'person' ? actor.id : actor.kind === 'token' ? actor.userId : null;
    const saved = await this.dataSource.transaction(async (m) => {
      const row = await this.keys.insert(m, {
        rigName: input.rigName,
        labels: input.labels,
        keyHash: secretHash(secret),
        keyPrefix: secret.slice(0, RIG_KEY_PREFIX.length + 6),
        createdBy,
      });
      await this.audit.record(actor, 'rig-key.create', { type: 'rig-key', id: row.id }, null, publicRigKey(row), m);
      return row;
    });
    return { key: secret, ...publicRigKey(saved) };
  }

  async resolve(secret: string, now = new Date()): Promise<Extract<Principal, { kind: 'rig' }> | null> {
    const key = await this.keys.byHash(secretHash(secret));
    if (!key || key.revokedAt) return null;
    await this.keys.touch(key.id, now);
    return { kind: 'rig', id: key.id, name: key.rigName, labels: key.labels };
  }

  async list() {
    return (await this.keys.list()).map(publicRigKey);
  }

  async revoke(actor: Principal, id: string) {
    return this.dataSource.transaction(async (m) => {
      const key = await this.keys.byId(id, m);
      if (!key) throw new NotFoundException(`no rig key ${id}`);
      if (!key.revokedAt) {
        const at = new Date();
        await this.keys.revoke(m, id, at);
        await this.audit.record(actor, 'rig-key.revoke', { type: 'rig-key', id }, publicRigKey(key), { ...publicRigKey(key), revokedAt: at }, m);
        key.revokedAt = at;
      }
      return publicRigKey(key);
    });
  }
}
