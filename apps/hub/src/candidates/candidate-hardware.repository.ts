import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Distinct crashing hosts of one candidate per hardware attribute value. */
@Injectable()
export class CandidateHardwareRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Hosts are counted once per value; a report without a host key stands for a host of its own.
   * `known` counts hosts with any value of the attribute (the share's denominator).
   *
   * Reads a row per host: candidate_host.attr_ids holds the attributes of all the host's crashes in
   * the candidate (a set, so cells need no de-duplication), plus the candidate's host-less crashes.
   * A 150k-report candidate on 12k hosts unnests 12k arrays; hosts are numbered so that counting
   * distinct hosts per attribute works on integers; ids become keys only for the distinct cells.
   */
  async attributeHosts(candidateId: string): Promise<{
    cells: Array<{ attribute: string; value: string; hosts: number }>;
    known: Array<{ attribute: string; hosts: number }>;
    hosts: number;
  }> {
    const rows: Array<{ kind: 'cell' | 'known' | 'total'; attribute: string | null; value: string | null; hosts: number }> = await this.dataSource.query(
      `WITH h AS (SELECT row_number() OVER () AS n, attr_ids FROM (
                    SELECT attr_ids FROM candidate_host WHERE candidate_id = $1
                    UNION ALL
                    SELECT attr_ids FROM crash_hardware WHERE candidate_id = $1 AND host_key IS NULL) x),
            k AS (SELECT id, split_part(key, '=', 1) AS attribute, substr(key, strpos(key, '=') + 1) AS value FROM hardware_attribute),
            pairs AS (SELECT h.n, i FROM h CROSS JOIN unnest(h.attr_ids) i),
            cell AS (SELECT i AS id, count(*)::int AS hosts FROM pairs GROUP BY i)
       SELECT 'cell' AS kind, k.attribute, k.value, cell.hosts FROM cell JOIN k ON k.id = cell.id
       UNION ALL
       SELECT 'known', k.attribute, NULL, count(DISTINCT pairs.n)::int FROM pairs JOIN k ON k.id = pairs.i GROUP BY k.attribute
       UNION ALL
       SELECT 'total', NULL, NULL, count(*)::int FROM h`,
      [candidateId],
    );
    return {
      cells: rows.filter((r) => r.kind === 'cell').map((r) => ({ attribute: r.attribute!, value: r.value!, hosts: r.hosts })),
      known: rows.filter((r) => r.kind === 'known').map((r) => ({ attribute: r.attribute!, hosts: r.hosts })),
      hosts: rows.find((r) => r.kind === 'total')?.hosts ?? 0,
    };
  }
}
