import { createHash } from 'node:crypto';
import { CrashFamily } from './crash-thread';
import { NormalizedFrame } from './frame-normalization';

export interface CrashSignature {
  /** sha256 hex, stable across hosts for the same normalized stack. */
  hash: string;
  /** Human-readable title, e.g. `vzctl: parse_entry | load_config | start_service`. */
  text: string;
}

const TITLE_FRAMES = 3;

/**
 * Oopses keep only 6 frames, as ABRT's kernel duphash does: below the first few frames
 * the same bug is reached through many unrelated paths (e.g. suspend vs hibernate).
 */
export function defaultSignatureFrames(family: CrashFamily): number {
  return family === 'kerneloops' ? 6 : 16;
}

export function exactSignature(
  family: CrashFamily,
  component: string,
  normalized: NormalizedFrame[],
  frameCount: number = defaultSignatureFrames(family),
): CrashSignature {
  const usesModule = family === 'python' || family === 'anaconda';
  const keys = normalized
    .slice(0, frameCount)
    .map((f) => (usesModule && f.module ? `${f.function} @ ${f.module}` : f.function))
    .map((key, i) => (normalized[i].site ? `${key} +${normalized[i].site}` : key));
  const hash = createHash('sha256').update([family, component, ...keys].join('\n')).digest('hex');
  const title = normalized.slice(0, TITLE_FRAMES).map((f) => f.function);
  return { hash, text: `${component}: ${title.length ? title.join(' | ') : '(no frames)'}` };
}
