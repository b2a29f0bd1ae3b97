import { MemoryThrottlerStorage } from './memory-throttler.storage';

describe('MemoryThrottlerStorage', () => {
  let storage: MemoryThrottlerStorage;
  beforeEach(() => {
    storage = new MemoryThrottlerStorage();
    jest.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    storage.onApplicationShutdown();
    jest.useRealTimers();
  });

  it('should admit exactly the limit per window, per key, and start a new window after the ttl', async () => {
    const admitted = async (key: string, n: number): Promise<number> => {
      let ok = 0;
      for (let i = 0; i < n; i += 1) if (!(await storage.increment(key, 60_000, 3)).isBlocked) ok += 1;
      return ok;
    };
    expect(await admitted('a', 10)).toBe(3);
    expect(await admitted('b', 10)).toBe(3);
    const blocked = await storage.increment('a', 60_000, 3);
    expect(blocked).toMatchObject({ isBlocked: true, timeToExpire: 60, timeToBlockExpire: 60 });
    jest.setSystemTime(1_000_000 + 60_001);
    expect(await admitted('a', 10)).toBe(3);
  });

  it('should stay O(1) with huge limits', async () => {
    for (let i = 0; i < 200_000; i += 1) await storage.increment('hot', 60_000, 1e9);
    expect((await storage.increment('hot', 60_000, 1e9)).totalHits).toBe(200_001);
  });
});
