import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The day a host reported, with the profile and country it had then: the input of the rollup. */
@Entity('host_activity_day')
export class HostActivityDayEntity {
  @PrimaryColumn('uuid', { name: 'host_id' })
  hostId!: string;

  @PrimaryColumn('date')
  day!: string;

  @Column('uuid', { name: 'profile_id' })
  profileId!: string;

  @Column('text', { nullable: true })
  country!: string | null;
}

/**
 * Live hosts per day and attribute value, maintained incrementally as reports are processed and
 * hosts erased; public statistics read only this table. `live=all` counts the live servers.
 */
@Entity('fleet_daily_rollup')
export class FleetDailyRollupEntity {
  @PrimaryColumn('date')
  day!: string;

  @PrimaryColumn('text')
  attribute!: string;

  @PrimaryColumn('text')
  value!: string;

  @Column('int')
  hosts!: number;

  /** VMs, containers, disks… behind the value, where the attribute counts objects. */
  @Column('bigint', { transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  objects!: number;
}

/** The live window the rollup was built with: a changed LIVE_WINDOW_DAYS triggers a rebuild. */
@Entity('fleet_rollup_state')
export class FleetRollupStateEntity {
  @PrimaryColumn('smallint', { default: 1 })
  id!: number;

  @Column('int', { name: 'window_days' })
  windowDays!: number;

  @Column('timestamptz', { name: 'rebuilt_at', nullable: true })
  rebuiltAt!: Date | null;
}
