import type { DataSource } from 'typeorm';
import normalization from '../../libs/crash-signature/src/data/normalization-v1.json';
import {
  COMPONENTS,
  LAYER_VERBS,
  LIBRARY_CRASH_SITES,
  LIBRARY_TOP_SHARE,
  MAX_LAYERS,
  MIN_LAYERS,
  NOUNS,
  SKEW,
  SyntheticStack,
} from './synthetic-crashes';

/**
 * Draws `count` candidate stacks in SQL from the synthetic-crashes model (skewed components and
 * functions, so popular functions fill large pre-buckets as in a real hub) into bench_seed.
 * Stacks are stored normalized, innermost first, ending in `main`.
 */
const DRAW_STACKS = `
CREATE TEMP TABLE bench_seed AS
SELECT gen_random_uuid() AS id, c.component, st.frames, now() - random() * interval '180 days' AS first_seen
  FROM generate_series(1, $1::int) AS g(i)
 CROSS JOIN LATERAL (
       SELECT ($2::text[])[1 + floor(random() ^ $6 * cardinality($2::text[]))::int] AS component,
              $7::int + floor(random() * ($8::int - $7::int + 1))::int AS layers,
              random() < $9 AS library_top,
              g.i AS i) c
 CROSS JOIN LATERAL (
       SELECT array_agg(f.fn ORDER BY f.ord) AS frames
         FROM (SELECT 0 AS ord, ($5::text[])[1 + floor(random() ^ $6 * cardinality($5::text[]))::int] AS fn
                WHERE c.library_top
               UNION ALL
               SELECT c.layers - l,
                      lower(regexp_replace(c.component, '[^a-zA-Z0-9]', '_', 'g')) || '_' || ($3::text[])[l + 1] || '_'
                        || ($4::text[])[1 + floor(random() ^ $6 * cardinality($4::text[]))::int]
                 FROM generate_series(0, c.layers - 1) AS l
               UNION ALL
               SELECT c.layers + 1, 'main') f) st`;

const frameJson = (frames: string) =>
  `(SELECT jsonb_agg(jsonb_build_object('function', fn) ORDER BY ord) FROM unnest(${frames}) WITH ORDINALITY AS u(fn, ord))`;

/**
 * Candidates as the hub writes them: exact_hash is exactSignature()'s sha256 of family, component
 * and the first 16 frames; a third carry a second exemplar with one frame inlined away.
 */
const INSERT_CANDIDATES = `
INSERT INTO bug_candidate (id, family, component, exact_hash, signature_text, representative_frames, exemplars,
                           first_seen, last_seen, report_count, occurrence_count, host_count)
SELECT s.id, 'core', s.component,
       encode(sha256(convert_to(array_to_string(ARRAY['core', s.component] || s.frames[1:16], E'\\n'), 'UTF8')), 'hex'),
       s.component || ': ' || array_to_string(s.frames[1:3], ' | '),
       ${frameJson('s.frames')},
       CASE WHEN random() < 0.33 AND cardinality(s.frames) > 4
            THEN jsonb_build_array(jsonb_build_object('reportId', gen_random_uuid(), 'frames', ${frameJson('s.frames')}),
                                   jsonb_build_object('reportId', gen_random_uuid(), 'frames', ${frameJson('s.frames[1:1] || s.frames[3:]')}))
            ELSE jsonb_build_array(jsonb_build_object('reportId', gen_random_uuid(), 'frames', ${frameJson('s.frames')})) END,
       s.first_seen, s.first_seen + random() * (now() - s.first_seen), r.reports, r.reports, r.hosts
  FROM bench_seed s
 CROSS JOIN LATERAL (SELECT n AS reports, 1 + floor(random() * n)::int AS hosts
                       FROM (SELECT 1 + floor(random() ^ 3 * 500)::int AS n, s.id) x) r`;

/** Twin stacks drawn twice keep the first candidate as their signature's target, like the hub would. */
const INSERT_SIGNATURES = `
INSERT INTO candidate_signature (exact_hash, candidate_id, origin)
SELECT c.exact_hash, c.id, 'first-report' FROM bug_candidate c JOIN bench_seed s ON s.id = c.id
ON CONFLICT (exact_hash) DO NOTHING`;

/** Pre-buckets exactly as bucketKeys() makes them: distinct non-generic names of the first 16 frames. */
const INSERT_BUCKETS = `
INSERT INTO candidate_bucket (candidate_id, function_name, family, component)
SELECT DISTINCT s.id, fn, 'core', s.component
  FROM bench_seed s CROSS JOIN LATERAL unnest(s.frames[1:16]) AS fn
 WHERE fn <> ALL($1::text[])
ON CONFLICT DO NOTHING`;

/** Adds `count` candidates with bulk SQL; `seed` in [-1, 1] makes the draw reproducible. */
export async function seedCandidates(db: DataSource, count: number, seed: number): Promise<void> {
  if (count <= 0) return;
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    // setseed and the temp table belong to this one session.
    await runner.query('SELECT setseed($1)', [seed]);
    await runner.query(DRAW_STACKS, [
      count,
      COMPONENTS,
      LAYER_VERBS,
      NOUNS,
      LIBRARY_CRASH_SITES,
      SKEW,
      MIN_LAYERS,
      MAX_LAYERS,
      LIBRARY_TOP_SHARE,
    ]);
    await runner.query(INSERT_CANDIDATES);
    await runner.query(INSERT_SIGNATURES);
    await runner.query(INSERT_BUCKETS, [normalization.genericFunctions]);
    await runner.query('DROP TABLE bench_seed');
    // Steady state as autovacuum leaves it: fresh statistics and a set visibility map.
    await runner.query('VACUUM ANALYZE bug_candidate, candidate_bucket, candidate_signature');
  } finally {
    await runner.release();
  }
}

export async function countCandidates(db: DataSource): Promise<number> {
  const rows: Array<{ n: number }> = await db.query('SELECT count(*)::int AS n FROM bug_candidate');
  return rows[0]!.n;
}

/** Random existing candidates' stacks, to report them again (exact hits) or slightly changed. */
export async function sampleCandidateStacks(db: DataSource, count: number): Promise<SyntheticStack[]> {
  const rows: Array<{ component: string; frames: Array<{ function: string }> }> = await db.query(
    `SELECT component, representative_frames AS frames FROM bug_candidate ORDER BY random() LIMIT $1`,
    [count],
  );
  return rows.map((r) => ({ component: r.component, functions: r.frames.map((f) => f.function) }));
}
