import doors from './accepted-content.json';

export interface AcceptedContent {
  types: string[];
  /** The door reads JSON: a body sent as a form or plain text gets a hint how to send it. */
  json?: boolean;
  /** reporter-upload's `curl -T` may send no Content-Type at all. */
  allowMissing?: boolean;
}

/** Body types per door (data: accepted-content.json). */
export const ACCEPTED_CONTENT = doors as Record<'faf' | 'crashReport' | 'crashArchive' | 'upload' | 'cepReport', AcceptedContent>;

/** The types curl and forms send by default when the caller forgot `-H 'Content-Type: application/json'`. */
const FORGOTTEN_JSON = new Set(['application/x-www-form-urlencoded', 'text/plain', '']);

/** Null when the door takes this Content-Type; otherwise the message of the 415. */
export function contentTypeRefusal(accepted: AcceptedContent, header: string | undefined): string | null {
  const type = (header ?? '').split(';')[0].trim().toLowerCase();
  if (type === '' && accepted.allowMissing) return null;
  if (accepted.types.includes(type)) return null;
  const list = `accepted: ${accepted.types.join(', ')}`;
  if (accepted.json && FORGOTTEN_JSON.has(type)) {
    return `a JSON body needs Content-Type: application/json${accepted.types.includes('multipart/form-data') ? ' (or send it as a multipart/form-data field named `file`)' : ''}; got ${type || 'no Content-Type'} (${list})`;
  }
  return `unsupported Content-Type ${type || '(none)'}; ${list}`;
}
