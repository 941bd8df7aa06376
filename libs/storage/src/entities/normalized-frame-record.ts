/** Stored shape of a normalized frame (mirrors crash-signature's NormalizedFrame). */
export interface NormalizedFrameRecord {
  function: string;
  module?: string;
  library?: true;
  unsymbolized?: true;
  site?: string;
}

/** A member stack near-duplicates are measured against, with the report it came from. */
export interface CandidateExemplar {
  reportId: string;
  frames: NormalizedFrameRecord[];
}
