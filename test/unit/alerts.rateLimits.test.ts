// The send scheduler against the Teams limits, with an injected clock and no sleeps. Limits from
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit (per bot per
// thread: 7/1 s, 8/2 s, 60/30 s, 1,800/3,600 s; per app per tenant: 30 requests per second).
// The single-window pacer it replaces (7/1 s and 60/30 s only, per process) fails the 2-second,
// hour and tenant cases below.

import { strict as assert } from 'node:assert';
import { MemoryLogStore, SendScheduler, TENANT_LIMITS, THREAD_SEND_LIMITS } from '../../src/alerts/rateLimits';
import { EMPTY_LOG, RateWindow, admits, earliest, withSend } from '../../src/alerts/windowLog';

/** Independent check: no window (t - W, t] ending at any send holds more than its limit. */
function violations(times: readonly number[], windows: readonly RateWindow[]): string[] {
  const sorted = [...times].sort((a, b) => a - b);
  const out: string[] = [];
  for (const t of sorted) {
    for (const w of windows) {
      const inside = sorted.filter((x) => x > t - w.windowMs && x <= t).length;
      if (inside > w.limit) out.push(`${inside} sends in ${w.windowMs} ms ending at ${t} (limit ${w.limit})`);
    }
  }
  return out;
}

describe('alerts: the Teams send scheduler', () => {
  it('spaces one thread by 7 per second, then 8 per 2 seconds', async () => {
    const clock = 1_000_000;
    const scheduler = new SendScheduler({ store: new MemoryLogStore(() => clock), now: () => clock, marginMs: 0 });
    const times: number[] = [];
    for (let i = 0; i < 10; i++) times.push(await scheduler.reserve('t1', '19:a@thread.tacv2'));
    assert.deepEqual(
      times.map((t) => t - clock),
      [0, 0, 0, 0, 0, 0, 0, 1000, 2000, 2000],
    );
  });

  it('never exceeds any thread window over a long burst (60 per 30 s binds)', async () => {
    const clock = 0;
    const scheduler = new SendScheduler({ store: new MemoryLogStore(() => clock), now: () => clock, marginMs: 0 });
    const times: number[] = [];
    for (let i = 0; i < 130; i++) times.push(await scheduler.reserve('t1', '19:a@thread.tacv2'));
    assert.deepEqual(violations(times, THREAD_SEND_LIMITS), []);
    // 60 fit in the first 30 s, and no more.
    assert.equal(times.filter((t) => t < 30_000).length, 60);
  });

  it('holds the hour limit of 1,800 per thread', () => {
    const hour = THREAD_SEND_LIMITS.filter((w) => w.windowMs === 3_600_000);
    let log = EMPTY_LOG;
    for (let i = 0; i < 1_800; i++) log = withSend(log, hour, i * 1_000, i * 1_000);
    assert.equal(admits(log, hour, 1_800_000, 0), false);
    const next = earliest(log, hour, 1_800_000, 0);
    // Not before the first minute's sends have left the hour (conservative by at most a minute).
    assert.ok(next >= 3_600_000 && next <= 3_660_000, String(next));
  });

  it('keeps the whole tenant at 30 per second across threads', async () => {
    const clock = 0;
    const scheduler = new SendScheduler({ store: new MemoryLogStore(() => clock), now: () => clock, marginMs: 0 });
    const times: number[] = [];
    for (let i = 0; i < 90; i++) times.push(await scheduler.reserve('t1', `19:c${i % 45}@thread.tacv2`));
    assert.deepEqual(violations(times, TENANT_LIMITS), []);
    assert.equal(times.filter((t) => t < 1000).length, 30);
    assert.equal(Math.max(...times), 2000, 'three seconds of capacity, used fully');
  });

  // Work that can wait (the edits of a card's other copies) reserves with headroom: it leaves the
  // last sends of each window to reservations without (and to the edits nobody schedules).
  it('a reservation with headroom leaves that many sends of each window free', async () => {
    const clock = 0;
    const scheduler = new SendScheduler({ store: new MemoryLogStore(() => clock), now: () => clock, marginMs: 0 });
    const room = { thread: 1, tenant: 10 };
    const spread: number[] = [];
    for (let i = 0; i < 40; i++) spread.push(await scheduler.reserve('t1', `19:c${i}@thread.tacv2`, room));
    assert.equal(spread.filter((t) => t < 1000).length, 20, 'the tenant’s second holds 20 of them');
    const oneThread: number[] = [];
    for (let i = 0; i < 7; i++) oneThread.push(await scheduler.reserve('t2', '19:a@thread.tacv2', room));
    assert.equal(oneThread.filter((t) => t < 1000).length, 6, 'a thread’s second holds 6 of them');
    // Without headroom the rest of each window is still there, at once.
    for (let i = 0; i < 10; i++) assert.equal(await scheduler.reserve('t1', `19:d${i}@thread.tacv2`), 0);
    assert.equal(await scheduler.reserve('t2', '19:a@thread.tacv2'), 0);
    assert.deepEqual(violations([...spread, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], TENANT_LIMITS), []);
  });

  // A tenant id is a GUID, named by the configuration (sends to references naming no tenant) and by
  // Teams (the references' conversation.tenantId) in whatever case each uses: it is one tenant, and
  // one per-tenant limit, either way.
  it('keeps one tenant at 30 per second whatever the case its id is written in', async () => {
    const clock = 0;
    const scheduler = new SendScheduler({ store: new MemoryLogStore(() => clock), now: () => clock, marginMs: 0 });
    const tenant = '5b0c9d1e-7a64-4f2b-9c3d-2e8f1a6b4c70';
    const times: number[] = [];
    for (let i = 0; i < 60; i++) {
      const spelled = i % 2 === 0 ? tenant : tenant.toUpperCase();
      times.push(await scheduler.reserve(spelled, `19:c${i}@thread.tacv2`));
    }
    assert.deepEqual(violations(times, TENANT_LIMITS), []);
    assert.equal(times.filter((t) => t < 1000).length, 30);
  });

  it('gives a free thread the next tenant slot even when another thread waits far ahead', async () => {
    const clock = 0;
    const scheduler = new SendScheduler({ store: new MemoryLogStore(() => clock), now: () => clock, marginMs: 0 });
    for (let i = 0; i < 20; i++) await scheduler.reserve('t1', '19:busy@thread.tacv2');
    assert.equal(await scheduler.reserve('t1', '19:free@thread.tacv2'), 0);
  });

  it('holds a thread until the Retry-After of a 429, and only that thread', async () => {
    const clock = 5_000;
    const scheduler = new SendScheduler({ store: new MemoryLogStore(() => clock), now: () => clock });
    await scheduler.hold('t1', '19:a@thread.tacv2', 8_000);
    assert.equal(await scheduler.reserve('t1', '19:a@thread.tacv2'), 8_000);
    assert.equal(await scheduler.reserve('t1', '19:b@thread.tacv2'), 5_000);
    await scheduler.hold('t1', null, 9_000);
    assert.equal(await scheduler.reserve('t1', '19:b@thread.tacv2'), 9_000);
  });

  it('counts a reply thread against its channel', async () => {
    const clock = 0;
    const scheduler = new SendScheduler({ store: new MemoryLogStore(() => clock), now: () => clock, marginMs: 0 });
    for (let i = 0; i < 7; i++) await scheduler.reserve('t1', `19:a@thread.tacv2;messageid=${i}`);
    assert.equal(await scheduler.reserve('t1', '19:a@thread.tacv2'), 1000);
  });

  it('keeps the margin between sends that share a window', async () => {
    const clock = 0;
    const scheduler = new SendScheduler({ store: new MemoryLogStore(() => clock), now: () => clock, marginMs: 25 });
    const times: number[] = [];
    for (let i = 0; i < 8; i++) times.push(await scheduler.reserve('t1', '19:a@thread.tacv2'));
    assert.equal(times[7], 1025);
  });

  it('two schedulers sharing one store interleave within the limits', async () => {
    const clock = 0;
    const store = new MemoryLogStore(() => clock);
    const a = new SendScheduler({ store, now: () => clock, marginMs: 0 });
    const b = new SendScheduler({ store, now: () => clock, marginMs: 0 });
    const times = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).reserve('t1', '19:a@thread.tacv2')),
    );
    assert.deepEqual(violations(times, THREAD_SEND_LIMITS), []);
    assert.equal(times.filter((t) => t === clock).length, 7, 'the first second is shared, not 7 for each');
  });

  it('stays bounded: idle and least recently used thread logs are dropped', async () => {
    let clock = 0;
    const store = new MemoryLogStore(() => clock, 5);
    const scheduler = new SendScheduler({ store, now: () => clock });
    for (let i = 0; i < 50; i++) {
      await scheduler.reserve('t1', `19:c${i}@thread.tacv2`);
      clock += 10;
    }
    assert.ok(store.size <= 5, `kept ${store.size} logs`);
    // A log keeps at most the sends its windows can still count.
    let log = EMPTY_LOG;
    for (let i = 0; i < 5_000; i++) log = withSend(log, THREAD_SEND_LIMITS, i * 700, i * 700);
    assert.ok(log.stamps.length <= 200 && log.buckets.length <= 62, `${log.stamps.length} / ${log.buckets.length}`);
  });
});
