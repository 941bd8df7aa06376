import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FakeClock } from '../../test/fake-clock.helper';
import { buildHostRoot, virtuozzoHostCommands, virtuozzoHostLayout } from '../../test/fixture-host.helper';
import { parseAgentConfig } from '../config/agent-config';
import { RecordedCommandRunner } from '../host/command-runner';
import { AgentRuntime } from '../runtime/agent-runtime';
import { DEFAULT_TIMETABLE, Schedule, WEEKDAYS } from './timetable';

const HOST_ID = '0f0e0d0c-0b0a-4908-8706-050403020100';
const MONDAY = Date.parse('2026-11-23T00:00:00Z');

describe('Schedule', () => {
  it('puts the default week on Mon..Fri at the same per-host offset', () => {
    const week = 7 * 86_400_000;
    const schedule = new Schedule(DEFAULT_TIMETABLE, week, HOST_ID);
    const offset = Schedule.hostOffset(HOST_ID, 86_400_000);
    const slots = [];
    for (let t = MONDAY - 1, i = 0; i < 6; i++) {
      const slot = schedule.nextSlot(t);
      slots.push(slot);
      t = slot.at;
    }
    expect(slots.map((s) => s.day)).toEqual(['mon', 'tue', 'wed', 'thu', 'fri', 'mon']);
    expect(slots.map((s) => s.at - MONDAY)).toEqual([0, 1, 2, 3, 4, 7].map((d) => d * 86_400_000 + offset));
    expect(new Date(slots[0].at).getUTCDay()).toBe(1);
  });

  it('spreads hosts: offsets differ per host id and stay within a day', () => {
    const offsets = new Set(['a', 'b', 'c', 'd'].map((h) => Schedule.hostOffset(h, 86_400_000)));
    expect(offsets.size).toBe(4);
    for (const o of offsets) expect(o).toBeLessThan(86_400_000);
  });
});

describe('report_period: 15m', () => {
  it('runs every collector in timetable order within one compressed week, without real waiting', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'cep-daemon-'));
    const config = parseAgentConfig({
      enabled: true,
      report_period: '15m',
      host_root: buildHostRoot(virtuozzoHostLayout()),
      output_dir: path.join(work, 'out'),
      spool_dir: path.join(work, 'spool'),
      state_dir: path.join(work, 'state'),
      scripts_dir: '/nonexistent',
      protocol: { type: 'FILE', path: path.join(work, 'report.tar.gz') },
    });
    const clock = new FakeClock(MONDAY);
    const runtime = await AgentRuntime.create(config, { clock, runner: new RecordedCommandRunner(virtuozzoHostCommands()) });
    const stop = new AbortController();
    const ran: string[] = [];
    const slotTimes: number[] = [];
    const started = Date.now();
    await runtime.runDaemon(stop.signal, (slot, results) => {
      ran.push(...results.map((r) => `${r.name}:${r.status}`));
      slotTimes.push(slot.at);
      if (slotTimes.length === 5) stop.abort();
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    const expected = WEEKDAYS.flatMap((d) => DEFAULT_TIMETABLE[d] ?? []).filter((n) => n !== 'external-scripts');
    expect(ran).toEqual(expected.map((n) => `${n}:ok`));
    // All five slots fall inside one 15-minute period, 15/7 minutes apart.
    expect(slotTimes.at(-1)! - slotTimes[0]).toBe(4 * Math.floor(900_000 / 7));
    expect(slotTimes[0]).toBeGreaterThan(MONDAY);
    expect(slotTimes.at(-1)!).toBeLessThan(MONDAY + 2 * 900_000);
    const status = await runtime.status();
    expect(Object.keys(status.collectors)).toEqual(expect.arrayContaining(expected));
    expect(status.nextDue.day).toBe('mon');
  });
});
