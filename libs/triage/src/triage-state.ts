import { compareVersions } from './rpm-version';
import resolutionStates from './data/resolution-states.json';

/** States sync may set: what the linked ticket and the crashes since its fix say. */
export const SYNCED_STATES = ['new', 'ticketed', 'fix-pending', 'verified-fixed', 'regressed', 'wont-fix', 'duplicate', 'cannot-reproduce'] as const;
export type SyncedState = (typeof SYNCED_STATES)[number];
/** States only QA sets; sync never overrides them. */
export type ManualKind = 'ignored' | 'muted';
export type TriageState = SyncedState | ManualKind;

export interface ManualState {
  kind: ManualKind;
  /** Ends when a crash arrives from this version or later. */
  untilVersion: string | null;
  /** Ends once this many more reports arrived after it was set. */
  untilCount: number | null;
  reportsAtStart: number;
  since: string;
}

export interface TriageRecord {
  state: SyncedState;
  /** Effective ticket the state follows (the duplicated ticket for a duplicate). */
  ticketKey: string | null;
  duplicateOf: string | null;
  fixVersion: string | null;
  /** When the fix became pending (ISO); crashes after it from builds ≥ fixVersion are regressions. */
  fixedAt: string | null;
  regressedAt: string | null;
  regressionVersion: string | null;
  manual: ManualState | null;
}

export interface TicketStatus {
  key: string;
  done: boolean;
  resolution: string | null;
  fixVersions: string[];
  /** Status of the ticket this one duplicates, when it is closed as a duplicate. */
  duplicateOf?: TicketStatus | null;
}

/** A crash version seen since the reference time: the newest crash time of that version. */
export interface VersionSeen {
  version: string | null;
  lastAt: string;
}

export type TriageEvent =
  | { type: 'linked'; key: string }
  | { type: 'unlinked'; remainingKey: string | null }
  | { type: 'ticket'; ticket: TicketStatus; now: string }
  | { type: 'manual'; manual: ManualState | null }
  | { type: 'evaluate'; now: string; crashes: VersionSeen[]; reportCount: number; verifyDays: number };

export interface TriageOutcome {
  record: TriageRecord;
  /** Something to do in Jira exactly once: a regression of the ticket's fix. */
  regression: { ticketKey: string; fixVersion: string; crashVersion: string } | null;
}

export const NEW_TRIAGE: TriageRecord = {
  state: 'new',
  ticketKey: null,
  duplicateOf: null,
  fixVersion: null,
  fixedAt: null,
  regressedAt: null,
  regressionVersion: null,
  manual: null,
};

const RESOLUTIONS = resolutionStates.resolutions as Record<string, 'fixed' | 'wont-fix' | 'duplicate' | 'cannot-reproduce'>;

export function resolutionMeaning(resolution: string | null): 'fixed' | 'wont-fix' | 'duplicate' | 'cannot-reproduce' {
  return (resolution && RESOLUTIONS[resolution]) || 'cannot-reproduce';
}

/** What QA sees: a manual state while it lasts, else the synced one. */
export function visibleState(record: TriageRecord): TriageState {
  return record.manual?.kind ?? record.state;
}

/** Newest of several fixVersions: a fix is only in builds at or after all of them. */
function newestVersion(versions: string[]): string | null {
  return versions.length ? [...versions].sort(compareVersions).at(-1)! : null;
}

function applyTicket(record: TriageRecord, ticket: TicketStatus, now: string): TriageRecord {
  const base = { ...record, ticketKey: ticket.key, duplicateOf: null };
  if (!ticket.done) {
    // After a regression the reopened (or new regression) ticket is open: regressed until fixed again.
    if (record.state === 'regressed') return base;
    return { ...base, state: 'ticketed', fixVersion: null, fixedAt: null };
  }
  const meaning = resolutionMeaning(ticket.resolution);
  if (meaning === 'duplicate') {
    const target = ticket.duplicateOf;
    if (!target) return { ...base, state: 'duplicate', fixVersion: null, fixedAt: null };
    const followed = applyTicket({ ...record }, target, now);
    // The duplicated ticket still open: the candidate is a duplicate waiting on it.
    const state = followed.state === 'ticketed' ? 'duplicate' : followed.state;
    return { ...followed, state, duplicateOf: target.key };
  }
  if (meaning !== 'fixed') return { ...base, state: meaning, fixVersion: null, fixedAt: null };
  const fixVersion = newestVersion(ticket.fixVersions);
  // Done without a fixVersion says nothing about which build has the fix.
  if (!fixVersion) return { ...base, state: 'ticketed', fixVersion: null, fixedAt: null };
  const sameFix = record.fixVersion === fixVersion && record.ticketKey === ticket.key;
  if (sameFix && ['fix-pending', 'verified-fixed', 'regressed'].includes(record.state)) return base;
  return { ...base, state: 'fix-pending', fixVersion, fixedAt: now, regressedAt: null, regressionVersion: null };
}

function manualExpired(manual: ManualState, crashes: VersionSeen[], reportCount: number): boolean {
  if (manual.untilCount !== null && reportCount - manual.reportsAtStart >= manual.untilCount) return true;
  if (manual.untilVersion !== null) {
    return crashes.some((c) => c.version !== null && c.lastAt >= manual.since && compareVersions(c.version, manual.untilVersion!) >= 0);
  }
  return false;
}

/**
 * The triage state machine: new → ticketed → fix-pending (Done + Fixed + fixVersion) → verified-fixed
 * (no crash from builds ≥ fix for N days) → regressed (a crash from a build ≥ fix after the fix).
 * Manual states sit on top and are only lifted by QA or by their own end condition.
 */
export function nextTriage(record: TriageRecord, event: TriageEvent): TriageOutcome {
  switch (event.type) {
    case 'linked':
      return {
        record: record.state === 'new' ? { ...record, state: 'ticketed', ticketKey: event.key } : { ...record, ticketKey: record.ticketKey ?? event.key },
        regression: null,
      };
    case 'unlinked':
      return {
        record: event.remainingKey ? { ...record, ticketKey: event.remainingKey } : { ...NEW_TRIAGE, manual: record.manual },
        regression: null,
      };
    case 'manual':
      return { record: { ...record, manual: event.manual }, regression: null };
    case 'ticket':
      return { record: applyTicket(record, event.ticket, event.now), regression: null };
    case 'evaluate': {
      let next = record;
      if (next.manual && manualExpired(next.manual, event.crashes, event.reportCount)) next = { ...next, manual: null };
      if ((next.state === 'fix-pending' || next.state === 'verified-fixed') && next.fixVersion && next.fixedAt) {
        const fixed = next.fixedAt;
        const regressing = event.crashes
          .filter((c) => c.version !== null && c.lastAt > fixed && compareVersions(c.version, next.fixVersion!) >= 0)
          .sort((a, b) => compareVersions(a.version!, b.version!));
        if (regressing.length) {
          const crashVersion = regressing[0]!.version!;
          return {
            record: { ...next, state: 'regressed', regressedAt: event.now, regressionVersion: crashVersion },
            regression: next.ticketKey ? { ticketKey: next.ticketKey, fixVersion: next.fixVersion, crashVersion } : null,
          };
        }
        const quietSince = Date.parse(fixed);
        if (next.state === 'fix-pending' && Date.parse(event.now) - quietSince >= event.verifyDays * 86_400_000) {
          next = { ...next, state: 'verified-fixed' };
        }
      }
      return { record: next, regression: null };
    }
  }
}
