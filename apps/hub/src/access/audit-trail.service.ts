import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuditQuery } from '../../../../libs/contracts/src';
import { AuditEventRepository } from './audit-event.repository';
import { actorOf, Principal } from './principal';

export interface AuditTarget {
  type: string;
  id: string | null;
}

/**
 * Records every change made by a person, token or key: who, what, on which target, before and after.
 * Pass the caller's EntityManager so the record commits (or rolls back) with the change itself.
 */
@Injectable()
export class AuditTrail {
  constructor(private readonly events: AuditEventRepository) {}

  async record(principal: Principal, action: string, target: AuditTarget, before: object | null, after: object | null, m?: EntityManager): Promise<void> {
    const actor = actorOf(principal);
    await this.events.insert(m, {
      actorKind: actor.kind,
      actorId: actor.id,
      actorName: actor.name,
      action,
      targetType: target.type,
      targetId: target.id,
      before,
      after,
    });
  }

  /** Newest first; `next` is the cursor for the following page, null on the last. */
  async list(q: AuditQuery) {
    const events = await this.events.find(q);
    return { events, next: events.length === q.limit ? Number(events[events.length - 1].id) : null };
  }
}
