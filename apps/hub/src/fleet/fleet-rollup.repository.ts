import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { RollupDelta } from '../../../../libs/host-profiles/src';

export interface ActivityRow {
  day: string;
  profileId: string;
  country: string | null;
  attributes: Record<string, number>;
}

export interface RollupRow {
  day: string;
  attribute: string;
  value: string;
  hosts: number;
  objects: number;
}

/** Activity days and the daily rollup: written inside processing transactions, read by statistics. */
@Injectable()
export class FleetRollupRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The host's activity between two days, with each day's profile attributes. */
  activity(m: EntityManager, hostId: string, from: string | null, to: string | null): Promise<ActivityRow[]> {
    return m.query(
      `SELECT to_char(a.day, 'YYYY-MM-DD') AS day, a.profile_id AS "profileId", a.country, p.attributes
         FROM host_activity_day a JOIN host_profile p ON p.id = a.profile_id
        WHERE a.host_id = $1 AND ($2::date IS NULL OR a.day >= $2) AND ($3::date IS NULL OR a.day <= $3)
        ORDER BY a.day`,
      [hostId, from, to],
    );
  }

  /** Activity of many hosts at once, grouped by host (a rollup rebuild). */
  async activityOfHosts(m: EntityManager, hostIds: string[]): Promise<Map<string, ActivityRow[]>> {
    const rows: Array<ActivityRow & { hostId: string }> = await m.query(
      `SELECT a.host_id AS "hostId", to_char(a.day, 'YYYY-MM-DD') AS day, a.profile_id AS "profileId", a.country, p.attributes
         FROM host_activity_day a JOIN host_profile p ON p.id = a.profile_id
        WHERE a.host_id = ANY($1::uuid[]) ORDER BY a.host_id, a.day`,
      [hostIds],
    );
    const byHost = new Map<string, ActivityRow[]>();
    for (const { hostId, ...row } of rows) {
      const list = byHost.get(hostId);
      if (list) list.push(row);
      else byHost.set(hostId, [row]);
    }
    return byHost;
  }

  async recordActivity(m: EntityManager, hostId: string, day: string, profileId: string, country: string | null): Promise<void> {
    await m.query(
      `INSERT INTO host_activity_day (host_id, day, profile_id, country) VALUES ($1, $2, $3, $4)
       ON CONFLICT (host_id, day) DO UPDATE SET profile_id = EXCLUDED.profile_id, country = COALESCE(EXCLUDED.country, host_activity_day.country)`,
      [hostId, day, profileId, country],
    );
  }

  /** Deltas arrive sorted, so concurrent transactions lock rollup rows in one order. */
  async applyDelta(m: EntityManager, delta: RollupDelta[]): Promise<void> {
    if (!delta.length) return;
    await m.query(
      `INSERT INTO fleet_daily_rollup AS f (day, attribute, value, hosts, objects)
       SELECT d.day, d.attribute, d.value, d.hosts, d.objects
         FROM jsonb_to_recordset($1::jsonb) AS d(day date, attribute text, value text, hosts int, objects bigint)
        ORDER BY d.day, d.attribute, d.value
       ON CONFLICT (day, attribute, value) DO UPDATE SET
         hosts = f.hosts + EXCLUDED.hosts, objects = f.objects + EXCLUDED.objects`,
      [JSON.stringify(delta)],
    );
    // A value no live host has any more is not a zero-sized cell.
    await m.query(
      `DELETE FROM fleet_daily_rollup f USING jsonb_to_recordset($1::jsonb) AS d(day date, attribute text, value text)
        WHERE f.day = d.day AND f.attribute = d.attribute AND f.value = d.value AND f.hosts <= 0 AND f.objects <= 0`,
      [JSON.stringify(delta)],
    );
  }

  rows(day: string, attributes: string[]): Promise<RollupRow[]> {
    return this.dataSource.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, attribute, value, hosts, objects::float8 AS objects
         FROM fleet_daily_rollup WHERE day = $1 AND attribute = ANY($2::text[])`,
      [day, attributes],
    );
  }

  allRows(day: string): Promise<RollupRow[]> {
    return this.dataSource.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, attribute, value, hosts, objects::float8 AS objects
         FROM fleet_daily_rollup WHERE day = $1`,
      [day],
    );
  }

  trend(attribute: string, value: string, from: string, to: string): Promise<Array<{ day: string; hosts: number }>> {
    return this.dataSource.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, hosts FROM fleet_daily_rollup
        WHERE attribute = $1 AND value = $2 AND day BETWEEN $3 AND $4 ORDER BY day`,
      [attribute, value, from, to],
    );
  }
}
