import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Append-only record of every change made by a person, token or key (a trigger refuses UPDATE and DELETE). */
@Entity('audit_event')
@Index('audit_event_target_idx', ['targetType', 'targetId'])
@Index('audit_event_actor_idx', ['actorKind', 'actorId'])
@Index('audit_event_at_idx', ['at'])
export class AuditEventEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at!: Date;

  @Column('text', { name: 'actor_kind' })
  actorKind!: string;

  @Column('text', { name: 'actor_id', nullable: true })
  actorId!: string | null;

  @Column('text', { name: 'actor_name' })
  actorName!: string;

  @Column('text')
  action!: string;

  @Column('text', { name: 'target_type' })
  targetType!: string;

  @Column('text', { name: 'target_id', nullable: true })
  targetId!: string | null;

  @Column('jsonb', { nullable: true })
  before!: object | null;

  @Column('jsonb', { nullable: true })
  after!: object | null;
}
