import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuditQuery } from '../../../../libs/contracts/src';
import { AuditEventEntity } from '../../../../libs/storage/src/entities';

export type NewAuditEvent = Omit<AuditEventEntity, 'id' | 'at'>;

/** The audit trail's table: inserts and reads only (the database refuses updates and deletes). */
@Injectable()
export class AuditEventRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(m: EntityManager | undefined, event: NewAuditEvent): Promise<void> {
    await (m ?? this.dataSource.manager).getRepository(AuditEventEntity).insert(event);
  }

  find(q: AuditQuery): Promise<AuditEventEntity[]> {
    const b = this.dataSource.getRepository(AuditEventEntity).createQueryBuilder('e').orderBy('e.id', 'DESC').limit(q.limit);
    if (q.action) b.andWhere('e.action = :action', { action: q.action });
    if (q.actorKind) b.andWhere('e.actor_kind = :actorKind', { actorKind: q.actorKind });
    if (q.actorId) b.andWhere('e.actor_id = :actorId', { actorId: q.actorId });
    if (q.targetType) b.andWhere('e.target_type = :targetType', { targetType: q.targetType });
    if (q.targetId) b.andWhere('e.target_id = :targetId', { targetId: q.targetId });
    if (q.from) b.andWhere('e.at >= :from', { from: q.from });
    if (q.to) b.andWhere('e.at < :to', { to: q.to });
    if (q.before) b.andWhere('e.id < :before', { before: q.before });
    return b.getMany();
  }
}
