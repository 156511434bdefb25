// The storage clock's estimate of its offset from the `Date` header of Azure Storage's answers.
// The header is RFC 1123, whole seconds, the moment the service answered cut to the second:
// https://learn.microsoft.com/rest/api/storageservices/representation-of-date-time-values-in-headers
// and every answer carries it:
// https://learn.microsoft.com/rest/api/storageservices/common-rest-api-response-headers
// The answers here are made up: a storage clock `SKEW` ahead of the local one, stamping each
// answer at a chosen moment of the call.

import { strict as assert } from 'node:assert';
import { parseHttpDate } from '../../src/domain/httpDate';
import { StorageClock } from '../../src/state/storageClock';

/** The storage's clock is this far ahead of the local one. */
const SKEW = 30_000;
/** A local time at a whole second, so tests can place calls at chosen phases of the second. */
const T0 = Date.UTC(2030, 0, 2, 3, 4, 5);

/** The Date header the storage would send when its clock reads `storageMs`. */
const header = (storageMs: number): string => new Date(storageMs).toUTCString();

/** A clock whose local time is `local.t`, and a call to it that takes `rttMs` from local time
 * `sentAt`, answered by the storage halfway through (or at `answeredAt`). */
function rig() {
  const local = { t: T0 };
  const clock = new StorageClock(() => local.t);
  const call = (sentAt: number, rttMs: number, answeredAt = sentAt + rttMs / 2): void => {
    local.t = sentAt + rttMs;
    clock.observe(header(answeredAt + SKEW), sentAt, sentAt + rttMs);
  };
  return { local, clock, call };
}

describe('storage clock: the offset from the Date header of the answers', () => {
  it('reads the local clock until an answer has been seen', () => {
    const { local, clock } = rig();
    assert.equal(clock.offset(), null);
    assert.equal(clock.now(), local.t);
  });

  it('takes the header as the second it was cut from: the estimate is the middle of that second, not its start', () => {
    const { local, clock, call } = rig();
    // Answered at .700 of a second: the header says .000; reading it as exact would be 700 ms off.
    call(T0 + 690, 20);
    const estimate = clock.offset();
    assert.ok(estimate);
    assert.ok(Math.abs(estimate.offsetMs - SKEW) <= estimate.withinMs, `${estimate.offsetMs} ± ${estimate.withinMs}`);
    // One answer bounds the offset to half a second plus half the round trip either way.
    assert.equal(estimate.withinMs, 510);
    assert.equal(clock.now(), local.t + estimate.offsetMs);
  });

  it('narrows to about the round trip as answers come at other phases of the second', () => {
    const { clock, call } = rig();
    for (let i = 0; i < 40; i++) call(T0 + i * 2_777, 10);
    const estimate = clock.offset();
    assert.ok(estimate);
    assert.ok(estimate.withinMs <= 50, `within ${estimate.withinMs} ms`);
    assert.ok(Math.abs(estimate.offsetMs - SKEW) <= estimate.withinMs, `${estimate.offsetMs} ± ${estimate.withinMs}`);
  });

  it('a slow answer alone bounds the offset loosely; after fast ones it does not move the estimate', () => {
    const alone = rig();
    alone.call(T0 + 100, 4_000, T0 + 3_900);
    const loose = alone.clock.offset();
    assert.ok(loose);
    assert.equal(loose.withinMs, 2_500);
    assert.ok(Math.abs(loose.offsetMs - SKEW) <= loose.withinMs);

    const { clock, call } = rig();
    for (let i = 0; i < 20; i++) call(T0 + i * 2_777, 10);
    const before = clock.offset();
    // Stamped near the end of a four-second call: the middle of that call alone would be 2 s off.
    call(T0 + 100_000, 4_000, T0 + 103_990);
    assert.deepEqual(clock.offset(), before);
  });

  it('a missing or unreadable header keeps the last good offset, and zero before any; nothing throws', () => {
    const { local, clock, call } = rig();
    for (const date of [
      undefined,
      null,
      '',
      'yesterday',
      42,
      '2030-01-02T03:04:05Z',
      'Xyz, 99 Foo 2030 99:99:99 GMT',
    ]) {
      clock.observe(date, local.t, local.t + 5);
    }
    assert.equal(clock.offset(), null);
    assert.equal(clock.now(), local.t);
    call(T0 + 300, 10);
    const good = clock.offset();
    assert.ok(good);
    for (const date of [undefined, 'not a date']) clock.observe(date, local.t, local.t + 5);
    // The local clock going back during a call bounds nothing either.
    clock.observe(header(local.t + SKEW), local.t, local.t - 1_000);
    clock.observe(header(local.t + SKEW), Number.NaN, local.t);
    assert.deepEqual(clock.offset(), good);
  });

  it('follows the local clock when it is stepped: answers that no longer agree are dropped', () => {
    const { clock, call } = rig();
    for (let i = 0; i < 10; i++) call(T0 + i * 1_013, 10);
    // The local clock is set back 10 s: the storage is now 40 s ahead of it.
    const stepped = T0 + 20_000;
    clock.observe(header(stepped + 5 + SKEW + 10_000), stepped, stepped + 10);
    const estimate = clock.offset();
    assert.ok(estimate);
    assert.ok(Math.abs(estimate.offsetMs - (SKEW + 10_000)) <= estimate.withinMs, `${estimate.offsetMs}`);
  });

  it('forgets answers older than its window, so an old tight bound cannot pin a drifting clock', () => {
    const { clock, call } = rig();
    for (let i = 0; i < 20; i++) call(T0 + i * 2_777, 10);
    assert.ok(clock.offset()!.withinMs <= 20);
    // One answer ten minutes later: the earlier ones no longer count.
    call(T0 + 600_000 + 300, 10);
    assert.equal(clock.offset()!.withinMs, 505);
  });

  it('parses HTTP-dates only (src/domain/httpDate.ts, shared with Retry-After)', () => {
    assert.equal(parseHttpDate('Wed, 02 Jan 2030 03:04:05 GMT'), T0);
    assert.equal(parseHttpDate('2030-01-02T03:04:05Z'), null);
    assert.equal(parseHttpDate(undefined), null);
  });
});
