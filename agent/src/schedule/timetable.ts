import { createHash } from 'node:crypto';
import type { CollectorName } from '../collectors/collector-registry';
import defaultTimetable from './timetable.json';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export type Timetable = Partial<Record<Weekday, CollectorName[]>>;

export const DEFAULT_TIMETABLE = defaultTimetable as Timetable;

/** 1970-01-05T00:00Z was a Monday; periods are aligned to it so a 7-day period starts on Mondays. */
const FIRST_MONDAY_MS = 4 * 86_400_000;

export interface Slot {
  /** When this slot is due. */
  at: number;
  day: Weekday;
  collectors: CollectorName[];
}

/**
 * The week is compressed into `periodMs` (7 days normally, `15m` for testing as in the original):
 * each weekday gets periodMs/7, and every slot is shifted by the host's offset within its day so
 * that a fleet installed at the same time does not report at the same moment.
 */
export class Schedule {
  private readonly dayMs: number;
  private readonly offsetMs: number;

  constructor(
    private readonly timetable: Timetable,
    private readonly periodMs: number,
    hostId: string,
  ) {
    // Whole milliseconds, so slot times are exact integers.
    this.dayMs = Math.floor(periodMs / 7);
    this.offsetMs = Schedule.hostOffset(hostId, this.dayMs);
  }

  /** Deterministic per host id (itself random), so the offset survives restarts and changes with reset-id. */
  static hostOffset(hostId: string, dayMs: number): number {
    const n = createHash('sha256').update(hostId).digest().readUInt32BE(0);
    return Math.floor((n / 2 ** 32) * dayMs);
  }

  private periodStart(t: number): number {
    return FIRST_MONDAY_MS + Math.floor((t - FIRST_MONDAY_MS) / this.periodMs) * this.periodMs;
  }

  private slotsOfPeriod(start: number): Slot[] {
    return WEEKDAYS.flatMap((day, i) => {
      const collectors = this.timetable[day] ?? [];
      return collectors.length ? [{ at: start + i * this.dayMs + this.offsetMs, day, collectors }] : [];
    });
  }

  /** The first slot strictly after `after`. */
  nextSlot(after: number): Slot {
    for (let start = this.periodStart(after); ; start += this.periodMs) {
      const slot = this.slotsOfPeriod(start).find((s) => s.at > after);
      if (slot) return slot;
      if (start > after + 2 * this.periodMs) throw new Error('timetable has no collectors');
    }
  }
}
