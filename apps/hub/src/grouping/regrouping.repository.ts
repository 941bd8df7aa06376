import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { CandidateExemplar, GroupingExplanation, GroupingInput, NormalizedFrameRecord } from '../../../../libs/storage/src/entities';

export interface ScopeReport {
  id: string;
  candidateId: string;
  exactHash: string;
  normalizedFrames: NormalizedFrameRecord[];
  grouping: GroupingExplanation;
  groupingInput: GroupingInput | null;
}

export interface ScopeCandidate {
  id: string;
  exemplars: CandidateExemplar[];
  representativeFrames: NormalizedFrameRecord[];
  signatureText: string;
  mergedIntoId: string | null;
}

export interface ReportRewrite {
  id: string;
  candidateId: string;
  exactHash: string;
  signatureText: string;
  normalizedFrames: NormalizedFrameRecord[];
  grouping: GroupingExplanation;
}

/** SQL behind regrouping and `reprocess`; every method runs on the caller's transaction manager. */
@Injectable()
export class RegroupingRepository {
  async scopes(m: EntityManager): Promise<Array<{ family: string; component: string }>> {
    return m.query('SELECT DISTINCT family, component FROM crash_report ORDER BY family, component');
  }

  async scopeReports(m: EntityManager, family: string, component: string): Promise<ScopeReport[]> {
    const rows: Array<{
      id: string; candidate_id: string; exact_hash: string; normalized_frames: NormalizedFrameRecord[];
      grouping: GroupingExplanation; grouping_input: GroupingInput | null;
    }> = await m.query(
      `SELECT id, candidate_id, exact_hash, normalized_frames, grouping, grouping_input
         FROM crash_report WHERE family = $1 AND component = $2 ORDER BY id`,
      [family, component],
    );
    return rows.map((r) => ({
      id: r.id, candidateId: r.candidate_id, exactHash: r.exact_hash, normalizedFrames: r.normalized_frames,
      grouping: r.grouping, groupingInput: r.grouping_input,
    }));
  }

  /** Candidates of the scope, oldest first: that order breaks ties. */
  async scopeCandidates(m: EntityManager, family: string, component: string): Promise<ScopeCandidate[]> {
    const rows: Array<{
      id: string; exemplars: CandidateExemplar[]; representative_frames: NormalizedFrameRecord[];
      signature_text: string; merged_into_id: string | null;
    }> = await m.query(
      `SELECT id, exemplars, representative_frames, signature_text, merged_into_id
         FROM bug_candidate WHERE family = $1 AND component = $2 ORDER BY created_at, id`,
      [family, component],
    );
    return rows.map((r) => ({
      id: r.id, exemplars: r.exemplars, representativeFrames: r.representative_frames,
      signatureText: r.signature_text, mergedIntoId: r.merged_into_id,
    }));
  }

  /** QA rules as locks: a merge target keeps all its reports; a split keeps the reports of its signature. */
  async lockedUnits(m: EntityManager, family: string, component: string): Promise<Array<{ candidateId: string; reportIds: string[]; splitHash: string | null }>> {
    const rows: Array<{ candidate_id: string; report_ids: string[]; split_hash: string | null }> = await m.query(
      `SELECT r.target_candidate_id AS candidate_id, array_agg(cr.id ORDER BY cr.id) AS report_ids, NULL AS split_hash
         FROM grouping_rule r JOIN crash_report cr ON cr.candidate_id = r.target_candidate_id
        WHERE r.kind = 'merge' AND cr.family = $1 AND cr.component = $2
        GROUP BY r.target_candidate_id
       UNION ALL
       SELECT r.target_candidate_id, array_agg(cr.id ORDER BY cr.id), r.source
         FROM grouping_rule r JOIN crash_report cr ON cr.exact_hash = r.source
        WHERE r.kind = 'split' AND cr.family = $1 AND cr.component = $2
        GROUP BY r.target_candidate_id, r.source`,
      [family, component],
    );
    return rows.map((r) => ({ candidateId: r.candidate_id, reportIds: r.report_ids, splitHash: r.split_hash }));
  }

  async rewriteReports(m: EntityManager, rewrites: ReportRewrite[]): Promise<void> {
    if (!rewrites.length) return;
    await m.query(
      `WITH w AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb)
           AS x(id uuid, "candidateId" uuid, "exactHash" text, "signatureText" text, "normalizedFrames" jsonb, grouping jsonb)),
       updated AS (
         UPDATE crash_report c SET candidate_id = w."candidateId", exact_hash = w."exactHash", signature_text = w."signatureText",
                normalized_frames = w."normalizedFrames", grouping = w.grouping
           FROM w WHERE c.id = w.id RETURNING c.id, c.candidate_id)
       UPDATE crash_hardware h SET candidate_id = u.candidate_id FROM updated u WHERE h.report_id = u.id`,
      [JSON.stringify(rewrites)],
    );
  }

  async updateCandidate(m: EntityManager, id: string, values: { exemplars: CandidateExemplar[]; representativeFrames: NormalizedFrameRecord[]; signatureText: string; exactHash: string }): Promise<void> {
    await m.query(
      `UPDATE bug_candidate SET exemplars = $2::jsonb, representative_frames = $3::jsonb, signature_text = $4, exact_hash = $5 WHERE id = $1`,
      [id, JSON.stringify(values.exemplars), JSON.stringify(values.representativeFrames), values.signatureText, values.exactHash],
    );
  }

  /** A candidate regrouping emptied points where most of its reports went, so lookups follow. */
  async retire(m: EntityManager, id: string, into: string): Promise<void> {
    await m.query('UPDATE bug_candidate SET merged_into_id = $2 WHERE id = $1 OR merged_into_id = $1', [id, into]);
  }

  async signaturePointers(m: EntityManager, hashes: string[]): Promise<Map<string, { candidateId: string; origin: string }>> {
    if (!hashes.length) return new Map();
    const rows: Array<{ exact_hash: string; candidate_id: string; origin: string }> = await m.query(
      'SELECT exact_hash, candidate_id, origin FROM candidate_signature WHERE exact_hash = ANY($1::text[])',
      [hashes],
    );
    return new Map(rows.map((r) => [r.exact_hash, { candidateId: r.candidate_id, origin: r.origin }]));
  }

  /** A split rule follows its signature when normalization changes it. */
  async renameSplitSource(m: EntityManager, oldHash: string, newHash: string): Promise<void> {
    await m.query(`UPDATE grouping_rule SET source = $2 WHERE kind = 'split' AND source = $1`, [oldHash, newHash]);
  }

  /** Reports stored before grouping inputs were kept, by id after `after` (a cursor, so undecodable ones are passed). */
  async reportsWithoutInput(m: EntityManager, after: string, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await m.query(
      `SELECT c.id FROM crash_report c JOIN raw_report r ON r.id = c.id
        WHERE c.grouping_input IS NULL AND c.id > $1 ORDER BY c.id LIMIT $2`,
      [after, limit],
    );
    return rows.map((r) => r.id);
  }

  async saveInput(m: EntityManager, id: string, input: GroupingInput): Promise<void> {
    await m.query('UPDATE crash_report SET grouping_input = $2::jsonb WHERE id = $1', [id, JSON.stringify(input)]);
  }
}
