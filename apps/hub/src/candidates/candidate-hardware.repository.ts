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
   * Cells and `known` come pre-aggregated (candidate_attribute_hosts / _known, kept by triggers on
   * candidate_host and crash_hardware), so a 150k-report candidate on 12k hosts reads a few hundred rows.
   */
  async attributeHosts(candidateId: string): Promise<{
    cells: Array<{ attribute: string; value: string; hosts: number }>;
    known: Array<{ attribute: string; hosts: number }>;
    hosts: number;
  }> {
    const rows: Array<{ kind: 'cell' | 'known' | 'total'; attribute: string | null; value: string | null; hosts: number }> = await this.dataSource.query(
      `SELECT 'cell' AS kind, split_part(k.key, '=', 1) AS attribute, substr(k.key, strpos(k.key, '=') + 1) AS value, c.hosts
         FROM candidate_attribute_hosts c JOIN hardware_attribute k ON k.id = c.attr_id WHERE c.candidate_id = $1
       UNION ALL
       SELECT 'known', attribute, NULL, hosts FROM candidate_attribute_known WHERE candidate_id = $1
       UNION ALL
       SELECT 'total', NULL, NULL, ((SELECT count(*) FROM candidate_host WHERE candidate_id = $1)
                                  + (SELECT count(*) FROM crash_hardware WHERE candidate_id = $1 AND host_key IS NULL))::int`,
      [candidateId],
    );
    return {
      cells: rows.filter((r) => r.kind === 'cell').map((r) => ({ attribute: r.attribute!, value: r.value!, hosts: r.hosts })),
      known: rows.filter((r) => r.kind === 'known').map((r) => ({ attribute: r.attribute!, hosts: r.hosts })),
      hosts: rows.find((r) => r.kind === 'total')?.hosts ?? 0,
    };
  }
}
