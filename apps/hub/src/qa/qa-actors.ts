import { actorOf, Principal } from '../access/principal';

/** The hub's own QA jobs, as they appear in the triage log and the audit trail. */
export const JIRA_SYNC: Principal = { kind: 'system', name: 'jira-sync' };
export const AUTO_FILING: Principal = { kind: 'system', name: 'auto-filing' };
export const JIRA_FILING: Principal = { kind: 'system', name: 'jira-filing' };

/** Who, as the triage log shows it: a person's or token's name, or the job's. */
export function actorLabel(p: Principal): string {
  return actorOf(p).name;
}
