import { TRIAGE_STATE_NAMES } from '../../contracts/src';
import { NEW_TRIAGE, nextTriage, SYNCED_STATES, TicketStatus, TriageRecord, visibleState } from './triage-state';

const T0 = '2026-03-01T00:00:00.000Z';
const day = (n: number) => new Date(Date.parse(T0) + n * 86_400_000).toISOString();
const open: TicketStatus = { key: 'OVZ-1', done: false, resolution: null, fixVersions: [] };
const fixed = (versions = ['7.0.12']): TicketStatus => ({ key: 'OVZ-1', done: true, resolution: 'Fixed', fixVersions: versions });

function run(record: TriageRecord, ...events: Parameters<typeof nextTriage>[1][]) {
  let r = record;
  const regressions = [];
  for (const e of events) {
    const out = nextTriage(r, e);
    r = out.record;
    if (out.regression) regressions.push(out.regression);
  }
  return { record: r, regressions };
}

describe('triage state machine', () => {
  it('new → ticketed on link, ticketed while the ticket is open', () => {
    const { record } = run(NEW_TRIAGE, { type: 'linked', key: 'OVZ-1' }, { type: 'ticket', ticket: open, now: T0 });
    expect(record.state).toBe('ticketed');
    expect(record.ticketKey).toBe('OVZ-1');
  });

  it('Done + Fixed without a fixVersion stays ticketed; with one it is fix pending from that version', () => {
    expect(run(NEW_TRIAGE, { type: 'ticket', ticket: fixed([]), now: T0 }).record.state).toBe('ticketed');
    const { record } = run(NEW_TRIAGE, { type: 'ticket', ticket: fixed(['7.0.12', '7.0.13']), now: T0 });
    expect(record).toMatchObject({ state: 'fix-pending', fixVersion: '7.0.13', fixedAt: T0 });
  });

  it('fix pending → verified fixed after N quiet days; older builds crashing do not count', () => {
    const start = run(NEW_TRIAGE, { type: 'ticket', ticket: fixed(), now: T0 }).record;
    const crashes = [{ version: '7.0.11-3', lastAt: day(5) }];
    expect(run(start, { type: 'evaluate', now: day(6), crashes, reportCount: 9, verifyDays: 7 }).record.state).toBe('fix-pending');
    expect(run(start, { type: 'evaluate', now: day(7), crashes, reportCount: 9, verifyDays: 7 }).record.state).toBe('verified-fixed');
  });

  it('a crash from a build at or after the fix → regressed once, naming the crash version', () => {
    const start = run(NEW_TRIAGE, { type: 'ticket', ticket: fixed(), now: T0 }, { type: 'evaluate', now: day(8), crashes: [], reportCount: 1, verifyDays: 7 }).record;
    expect(start.state).toBe('verified-fixed');
    const crashes = [{ version: '7.0.12-1', lastAt: day(9) }];
    const { record, regressions } = run(
      start,
      { type: 'evaluate', now: day(9), crashes, reportCount: 2, verifyDays: 7 },
      { type: 'evaluate', now: day(10), crashes, reportCount: 2, verifyDays: 7 },
      // Sync sees the ticket still Done+Fixed with the same version (or reopened): stays regressed.
      { type: 'ticket', ticket: fixed(), now: day(10) },
      { type: 'ticket', ticket: open, now: day(11) },
    );
    expect(record.state).toBe('regressed');
    expect(regressions).toEqual([{ ticketKey: 'OVZ-1', fixVersion: '7.0.12', crashVersion: '7.0.12-1' }]);
  });

  it('a new open regression ticket keeps the candidate regressed', () => {
    const start: TriageRecord = { ...NEW_TRIAGE, state: 'regressed', ticketKey: 'OVZ-1', fixVersion: '7.0.12', fixedAt: T0 };
    expect(run(start, { type: 'ticket', ticket: { ...open, key: 'OVZ-2' }, now: day(1) }).record).toMatchObject({ state: 'regressed', ticketKey: 'OVZ-2' });
  });

  it('a regressed candidate fixed again in a later version is fix pending again', () => {
    const start: TriageRecord = { ...NEW_TRIAGE, state: 'regressed', ticketKey: 'OVZ-1', fixVersion: '7.0.12', fixedAt: T0 };
    expect(run(start, { type: 'ticket', ticket: fixed(['7.0.14']), now: day(3) }).record).toMatchObject({ state: 'fix-pending', fixVersion: '7.0.14' });
  });

  it.each([
    ["Won't Fix", 'wont-fix'],
    ['Duplicate', 'duplicate'],
    ['Cannot Reproduce', 'cannot-reproduce'],
    ['Incomplete', 'cannot-reproduce'],
  ])('Done with %s → %s, never fixed', (resolution, state) => {
    const { record } = run(NEW_TRIAGE, { type: 'ticket', ticket: { key: 'OVZ-1', done: true, resolution, fixVersions: ['7.0.12'] }, now: T0 });
    expect(record.state).toBe(state);
    expect(record.fixVersion).toBeNull();
  });

  it('a duplicate follows the ticket it duplicates', () => {
    const target: TicketStatus = { key: 'OVZ-9', done: true, resolution: 'Fixed', fixVersions: ['7.0.13'] };
    const dup: TicketStatus = { key: 'OVZ-1', done: true, resolution: 'Duplicate', fixVersions: [], duplicateOf: target };
    expect(run(NEW_TRIAGE, { type: 'ticket', ticket: dup, now: T0 }).record).toMatchObject({ state: 'fix-pending', ticketKey: 'OVZ-9', duplicateOf: 'OVZ-9', fixVersion: '7.0.13' });
    const openTarget = { ...dup, duplicateOf: { ...target, done: false, resolution: null, fixVersions: [] } };
    expect(run(NEW_TRIAGE, { type: 'ticket', ticket: openTarget, now: T0 }).record).toMatchObject({ state: 'duplicate', duplicateOf: 'OVZ-9' });
  });

  it('a manual mute is shown over any synced state and sync never lifts it', () => {
    const muted = run(NEW_TRIAGE, { type: 'manual', manual: { kind: 'muted', untilVersion: null, untilCount: null, reportsAtStart: 3, since: T0 } }).record;
    const { record } = run(muted, { type: 'ticket', ticket: fixed(), now: T0 }, { type: 'evaluate', now: day(30), crashes: [{ version: '9.0-1', lastAt: day(29) }], reportCount: 500, verifyDays: 7 });
    expect(visibleState(record)).toBe('muted');
  });

  it('a mute until a version ends with a crash from that version; until a count, after that many reports', () => {
    const byVersion = { kind: 'muted' as const, untilVersion: '7.0.13', untilCount: null, reportsAtStart: 3, since: T0 };
    const older = run({ ...NEW_TRIAGE, manual: byVersion }, { type: 'evaluate', now: day(2), crashes: [{ version: '7.0.12-9', lastAt: day(1) }], reportCount: 9, verifyDays: 7 });
    expect(visibleState(older.record)).toBe('muted');
    const newer = run(older.record, { type: 'evaluate', now: day(3), crashes: [{ version: '7.0.13-1', lastAt: day(2) }], reportCount: 10, verifyDays: 7 });
    expect(visibleState(newer.record)).toBe('new');

    const byCount = { kind: 'ignored' as const, untilVersion: null, untilCount: 5, reportsAtStart: 3, since: T0 };
    expect(visibleState(run({ ...NEW_TRIAGE, manual: byCount }, { type: 'evaluate', now: day(1), crashes: [], reportCount: 7, verifyDays: 7 }).record)).toBe('ignored');
    expect(visibleState(run({ ...NEW_TRIAGE, manual: byCount }, { type: 'evaluate', now: day(1), crashes: [], reportCount: 8, verifyDays: 7 }).record)).toBe('new');
  });

  it('unlinking the last ticket returns to new and keeps a manual state', () => {
    const manual = { kind: 'ignored' as const, untilVersion: null, untilCount: null, reportsAtStart: 0, since: T0 };
    const { record } = run({ ...NEW_TRIAGE, state: 'ticketed', ticketKey: 'OVZ-1', manual }, { type: 'unlinked', remainingKey: null });
    expect(record).toMatchObject({ state: 'new', ticketKey: null, manual });
  });
});

describe('triage state names', () => {
  it('the API filter accepts exactly the states the machine shows (synced + manual)', () => {
    expect([...TRIAGE_STATE_NAMES].sort()).toEqual([...SYNCED_STATES, 'ignored', 'muted'].sort());
  });
});
