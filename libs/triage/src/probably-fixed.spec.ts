import { probablyFixedIn } from './probably-fixed';

const now = '2026-03-30T00:00:00.000Z';
const ago = (days: number) => new Date(Date.parse(now) - days * 86_400_000).toISOString();

describe('probably fixed in X', () => {
  it('names the lowest newer version in use once the candidate crashes only in older ones', () => {
    const result = probablyFixedIn({
      candidate: [
        { version: '7.0.10-2', lastSeen: ago(1) },
        { version: '7.0.11-1', lastSeen: ago(2) },
        // Crashed in 7.0.12 long ago, not any more: that counts as stopped.
        { version: '7.0.12-1', lastSeen: ago(40) },
      ],
      inUse: [
        { version: '7.0.10-2', lastSeen: ago(1) },
        { version: '7.0.11-1', lastSeen: ago(1) },
        { version: '7.0.12-1', lastSeen: ago(1) },
        { version: '7.0.13-4', lastSeen: ago(1) },
      ],
      now,
      windowDays: 14,
    });
    expect(result).toEqual({ version: '7.0.12-1', stillReporting: ['7.0.10-2', '7.0.11-1'] });
  });

  it('says nothing while the newest version in use still crashes, or when nothing reports', () => {
    const inUse = [{ version: '7.0.12-1', lastSeen: ago(1) }];
    expect(probablyFixedIn({ candidate: [{ version: '7.0.12-1', lastSeen: ago(1) }], inUse, now, windowDays: 14 })).toBeNull();
    expect(probablyFixedIn({ candidate: [{ version: '7.0.10-1', lastSeen: ago(30) }], inUse, now, windowDays: 14 })).toBeNull();
  });

  it('ignores newer versions nobody runs any more', () => {
    const result = probablyFixedIn({
      candidate: [{ version: '7.0.10-1', lastSeen: ago(1) }],
      inUse: [{ version: '7.0.11-1', lastSeen: ago(60) }],
      now,
      windowDays: 14,
    });
    expect(result).toBeNull();
  });
});
