import Redis from 'ioredis';
import { loadHubConfig } from '../../../../libs/config/src';
import { TEST_REDIS_URL } from '../../../../test/support/test-database';
import { RateLimitService } from './rate-limit.service';

const LIMITS = { RATE_LIMIT_WINDOW_MS: String(24 * 3600 * 1000), RATE_LIMIT_PER_KEY: '2', RATE_LIMIT_PER_HOST: '1', RATE_LIMIT_PER_CLIENT: '3' };

describe.each([
  ['Redis', { REDIS_URL: TEST_REDIS_URL }],
  ['memory (embedded)', {}],
] as const)('RateLimitService on %s', (_label, queueEnv) => {
  const prefix = `hub-test-ratelimit-unit-${process.pid}-${Object.keys(queueEnv).length}`;
  let service: RateLimitService;
  beforeAll(() => {
    service = new RateLimitService(loadHubConfig({ ...LIMITS, ...queueEnv, QUEUE_PREFIX: prefix }));
  });
  afterAll(async () => {
    await service.onModuleDestroy();
    const redis = new Redis(TEST_REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('refuses a credential past its quota, with the seconds left in the window; other credentials unaffected', async () => {
    expect(await service.check({ credential: 'Bearer a', address: '192.0.2.1' })).toEqual({});
    expect(await service.check({ credential: 'Bearer a', address: '192.0.2.1' })).toEqual({});
    const third = await service.check({ credential: 'Bearer a', address: '192.0.2.1' });
    expect(third.refused).toMatchObject({ bucket: 'key', limit: 2 });
    expect(third.refused!.retryAfterSec).toBeGreaterThan(0);
    expect(third.refused!.retryAfterSec).toBeLessThanOrEqual(24 * 3600);
    expect(await service.check({ credential: 'Bearer b', address: '192.0.2.1' })).toEqual({});
  });

  it('counts anonymous clients by address and hosts by id, each on its own', async () => {
    for (let i = 0; i < 3; i++) expect(await service.check({ address: '192.0.2.7' })).toEqual({});
    expect((await service.check({ address: '192.0.2.7' })).refused?.bucket).toBe('client');
    expect(await service.check({ address: '192.0.2.8' })).toEqual({});
    const host = '6f1c1f0e-3c55-4d8e-9a51-2b1f5a0c9e11';
    expect(await service.check({ credential: 'Bearer c', hostId: host })).toEqual({});
    expect((await service.check({ credential: 'Bearer d', hostId: host })).refused?.bucket).toBe('host');
  });
});
