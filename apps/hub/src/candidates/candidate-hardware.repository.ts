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
   * One scan of the candidate's rows in crash_hardware (the narrow copy of crash_report), reduced
   * first to distinct (host, attribute ids) pairs: a host's crashes nearly always carry the same
   * attributes, so a 150k-report candidate unnests ~12k arrays instead of 150k, and cells, known and
   * total come from that one pass. Ids become `attribute=value` keys only for the distinct pairs.
   */
  async attributeHosts(candidateId: string): Promise<{
    cells: Array<{ attribute: string; value: string; hosts: number }>;
    known: Array<{ attribute: string; hosts: number }>;
    hosts: number;
  }> {
    const rows: Array<{ kind: 'cell' | 'known' | 'total'; attribute: string | null; value: string | null; hosts: number }> = await this.dataSource.query(
      `WITH h AS (SELECT DISTINCT COALESCE(host_key, report_id::text) AS host, attr_ids FROM crash_hardware WHERE candidate_id = $1),
            ha AS (SELECT DISTINCT h.host, k.key AS a FROM h, unnest(h.attr_ids) i JOIN hardware_attribute k ON k.id = i)
       SELECT 'cell' AS kind, split_part(a, '=', 1) AS attribute, substr(a, strpos(a, '=') + 1) AS value, count(*)::int AS hosts
         FROM ha GROUP BY a
       UNION ALL
       SELECT 'known', attribute, NULL, count(DISTINCT host)::int FROM (SELECT split_part(a, '=', 1) AS attribute, host FROM ha) x GROUP BY attribute
       UNION ALL
       SELECT 'total', NULL, NULL, count(DISTINCT host)::int FROM h`,
      [candidateId],
    );
    return {
      cells: rows.filter((r) => r.kind === 'cell').map((r) => ({ attribute: r.attribute!, value: r.value!, hosts: r.hosts })),
      known: rows.filter((r) => r.kind === 'known').map((r) => ({ attribute: r.attribute!, hosts: r.hosts })),
      hosts: rows.find((r) => r.kind === 'total')?.hosts ?? 0,
    };
  }
}
