// The send scheduler's logs stay small: a tenant at its ceiling for minutes keeps only the stamps
// a future send can still be counted with (its 1 s window plus a few seconds), not a minute of them.

import { strict as assert } from 'node:assert';
import { MemoryLogStore, SendScheduler, TENANT_LIMITS } from '../../src/alerts/rateLimits';
import { PRUNE_SLACK_MS } from '../../src/alerts/windowLog';

describe('alerts: the scheduler keeps its logs small', () => {
  it('a tenant sending 30 per second for 100 s keeps a few seconds of stamps', async () => {
    let clock = 1_000_000;
    const store = new MemoryLogStore(() => clock);
    const seen: number[] = [];
    const spy = {
      update: <R>(key: string, change: Parameters<MemoryLogStore['update']>[1]) =>
        store.update<R>(key, (log) => {
          if (key.includes(':tenant:')) seen.push(log.stamps.length);
          return change(log) as { log: typeof log | null; result: R };
        }),
    };
    const scheduler = new SendScheduler({ store: spy, now: () => clock, marginMs: 0 });
    for (let i = 0; i < 3000; i++) {
      clock = await scheduler.reserve('t1', `19:c${i % 50}@thread.tacv2`);
    }
    const windowMs = TENANT_LIMITS[0]!.windowMs;
    const bound = ((windowMs + PRUNE_SLACK_MS) / 1000) * 30 + 30;
    assert.ok(Math.max(...seen) <= bound, `the tenant log held ${Math.max(...seen)} stamps (bound ${bound})`);
    assert.ok(clock - 1_000_000 >= 99_000, 'and the ceiling still held: 3,000 sends took 100 s');
  });
});
