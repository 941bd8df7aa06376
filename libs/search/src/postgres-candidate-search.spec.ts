import { Client as PgClient } from 'pg';
import { DataSource } from 'typeorm';
import { syncCrashHardware } from '../../storage/src/crash-hardware-sql';
import { hubDataSourceOptions } from '../../storage/src/database-options';
import { describeRankingContract, expectedPage, HOT_SINCE, query, syntheticReports } from '../test/candidate-search-fixture';
import { PostgresCandidateSearch } from './postgres-candidate-search';

/** Same documents and expectations as the Elasticsearch spec, so both backends rank alike. */
describe('PostgresCandidateSearch', () => {
  const admin = 'postgres://postgres@127.0.0.1:5432/test';
  const dbName = `search_spec_${process.pid}`;
  const docs = syntheticReports();
  let dataSource: DataSource;
  let search: PostgresCandidateSearch;

  const adminQuery = async (sql: string) => {
    const pg = new PgClient({ connectionString: admin });
    await pg.connect();
    try {
      await pg.query(sql);
    } finally {
      await pg.end();
    }
  };

  beforeAll(async () => {
    await adminQuery(`DROP DATABASE IF EXISTS ${dbName}`);
    await adminQuery(`CREATE DATABASE ${dbName}`);
    dataSource = new DataSource(hubDataSourceOptions(`postgres://postgres@127.0.0.1:5432/${dbName}`, 2));
    await dataSource.initialize();
    await dataSource.runMigrations();
    await seed(dataSource);
    search = new PostgresCandidateSearch(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await adminQuery(`DROP DATABASE IF EXISTS ${dbName}`);
  });

  /** Rows as the hub keeps them: counters on bug_candidate, one crash_report per doc. */
  async function seed(ds: DataSource): Promise<void> {
    // Map.groupBy needs Node 21; the hub supports Node 20.
    const byCandidate = new Map<string, typeof docs>();
    for (const d of docs) byCandidate.set(d.candidateId, [...(byCandidate.get(d.candidateId) ?? []), d]);
    for (const [id, reports] of byCandidate) {
      const times = reports.map((d) => d.crashedAt).sort();
      await ds.query(
        `INSERT INTO bug_candidate (id, family, component, exact_hash, signature_text, representative_frames, exemplars,
                                    first_seen, last_seen, report_count, occurrence_count, host_count)
         VALUES ($1, $2, $3, $4, $5, '[]', '[]', $6, $7, $8::int, $8::int, $9)`,
        [id, reports[0]!.family, reports[0]!.component, `hash-${id}`, reports[0]!.signatureText, times[0], times.at(-1),
          reports.length, new Set(reports.flatMap((d) => (d.hostKey ? [d.hostKey] : []))).size],
      );
    }
    for (const [id, reports] of byCandidate) {
      const state = reports[0]!.triageState;
      // Most new candidates have no triage row at all; one carries an explicit `new` record.
      if (state === 'new' && !id.endsWith('7f')) continue;
      await ds.query(`INSERT INTO candidate_triage (candidate_id, state, record) VALUES ($1, $2, '{}')`, [id, state]);
    }
    for (const d of docs) {
      await ds.query(
        `INSERT INTO crash_report (id, candidate_id, family, problem_type, component, crashed_at, host_key, package_version,
                                   os_release, kernel, exact_hash, signature_text, normalized_frames, labels, grouping, hardware_attrs)
         VALUES ($1, $2, $3, 'CCpp', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, '{}', $14)`,
        [d.reportId, d.candidateId, d.family, d.component, d.crashedAt, d.hostKey, d.packageVersion, d.osRelease, d.kernel,
          `hash-${d.candidateId}`, d.signatureText, JSON.stringify(d.functions.map((f) => ({ function: f }))), JSON.stringify(d.labels),
          d.hardwareAttrs],
      );
    }
    // A candidate merged away must never be listed, even with a stale report still pointing at it.
    const merged = '00000000-0000-4000-8000-0000000000ff';
    await ds.query(
      `INSERT INTO bug_candidate (id, family, component, exact_hash, signature_text, representative_frames, exemplars,
                                  first_seen, last_seen, report_count, host_count, merged_into_id)
       SELECT $1, family, component, 'merged', signature_text, '[]', '[]', first_seen, last_seen, 50, 50, id
         FROM bug_candidate LIMIT 1`,
      [merged],
    );
    await ds.query(
      `INSERT INTO crash_report (id, candidate_id, family, problem_type, component, crashed_at, exact_hash, signature_text,
                                 normalized_frames, labels, grouping)
       SELECT '20000000-0000-4000-8000-000000000001', $1, family, 'CCpp', component, now(), 'merged', signature_text,
              normalized_frames, labels, grouping
         FROM crash_report LIMIT 1`,
      [merged],
    );
    // Hardware filters read the integer-coded copy the hub's writers keep next to crash_report.
    await syncCrashHardware(ds);
  }

  describeRankingContract(() => search, docs);

  it('escapes LIKE wildcards in function text', async () => {
    await expect(search.search(query({ function: '%' }), HOT_SINCE)).resolves.toEqual({ total: 0, items: [] });
    await expect(search.search(query({ function: 'g_main' }), HOT_SINCE)).resolves.toEqual(
      expectedPage(docs, query({ function: 'g_main' }), HOT_SINCE),
    );
  });

  it('pings, and treats indexing as a no-op', async () => {
    await expect(search.ping()).resolves.toBeUndefined();
    await expect(search.indexReports()).resolves.toBeUndefined();
    await expect(search.removeReports()).resolves.toBeUndefined();
  });
});
