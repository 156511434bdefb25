// Direct notifications under Teams' send limits shared by every instance: per bot per thread at
// most 7 sends per 1 s, 8 per 2 s, 60 per 30 s and 1,800 per hour, and a 429 answered with
// Retry-After (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit).
// Two instances share one database file, as two processes share the state store, and reserve each
// send's slot through the same send scheduler the channel alerts use.

import { strict as assert } from 'node:assert';
import { RecordsLogStore, SendScheduler } from '../../src/alerts/rateLimits';
import { SendCard } from '../../src/notifications/delivery';
import { SqliteState } from '../../src/state/sqlite';
import { deliverySession, eventually, observeReleases, roleEvent, teamsError } from '../fixtures/deliverySession';

/** Wide enough for the few milliseconds between a slot's moment and the connector call here. */
const MARGIN_MS = 200;

describe('notification delivery under Teams rate limits', () => {
  const session = deliverySession();
  const shared = (state: SqliteState) => ({
    sharedPacing: {
      scheduler: new SendScheduler({
        store: new RecordsLogStore(state.records),
        now: () => Date.now() + session.offset,
        marginMs: MARGIN_MS,
      }),
      tenantId: 't',
    },
    concurrency: 8,
  });

  it("two instances sending to one conversation stay within Teams' per-thread windows", async function () {
    this.timeout(20_000);
    const at: number[] = [];
    const send: SendCard = async () => {
      at.push(Date.now());
      return `activity-${at.length}`;
    };
    const a = await session.instance(send, shared);
    const b = await session.instance(send, shared);
    const ids = Array.from({ length: 12 }, (_, i) => `e${i}`);
    for (const id of ids) await a.store.accept(roleEvent(id)); // all to the one user's chat
    a.worker.start();
    b.worker.start();
    await eventually(
      async () => (await Promise.all(ids.map((id) => a.store.get(id)))).every((r) => r?.state === 'delivered'),
      'every card delivered',
      15_000,
    );
    assert.equal(at.length, ids.length, 'each card sent once');
    for (const [limit, windowMs] of [
      [7, 1_000],
      [8, 2_000],
    ] as const) {
      const worst = Math.max(...at.map((t) => at.filter((u) => u >= t && u < t + windowMs).length));
      assert.ok(worst <= limit, `${worst} sends within ${windowMs} ms (limit ${limit})`);
    }
  });

  it('a 429 on a direct send holds the conversation for the other instance too', async () => {
    const sent: string[] = [];
    let first = true;
    const send: SendCard = async () => {
      if (first) {
        first = false;
        throw teamsError(429, '30');
      }
      sent.push('card');
      return `activity-${sent.length}`;
    };
    const a = await session.instance(send, shared);
    const aReleased = observeReleases(a.state);
    await a.store.accept(roleEvent('e1'));
    a.worker.start();
    await eventually(() => aReleased.length === 1, 'the throttled send');
    await a.worker.stop(1000);
    const b = await session.instance(send, shared);
    const bReleased = observeReleases(b.state);
    await b.store.accept(roleEvent('e2')); // another card to the same chat
    b.worker.start();
    await eventually(() => sent.length > 0 || bReleased.length > 0, 'instance B to send or wait');
    assert.equal(sent.length, 0, 'nothing sent to the conversation within Retry-After');
    assert.ok(bReleased[0]! > 25_000, `the row waits out Retry-After (given back for ${bReleased[0]} ms)`);
  });

  // Teams' status codes: on 429 "Retry using Retry-After header ... if available. Otherwise, retry
  // using exponential backoff with thread ID, if possible."
  // https://learn.microsoft.com/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis
  // Without Retry-After the conversation is held for the row's backoff, as a channel alert's is:
  // before, nothing was held, and the other instance sent into the throttle at once.
  it('a 429 without Retry-After holds the conversation for the backoff, for the other instance too', async () => {
    const sent: string[] = [];
    let first = true;
    const send: SendCard = async () => {
      if (first) {
        first = false;
        throw teamsError(429);
      }
      sent.push('card');
      return `activity-${sent.length}`;
    };
    const a = await session.instance(send, (state) => ({ ...shared(state), backoffMs: () => 30_000 }));
    const aReleased = observeReleases(a.state);
    await a.store.accept(roleEvent('e1'));
    a.worker.start();
    await eventually(() => aReleased.length === 1, 'the throttled send');
    assert.ok(aReleased[0]! >= 30_000, `the row waits out its backoff (given back for ${aReleased[0]} ms)`);
    await a.worker.stop(1000);
    const b = await session.instance(send, shared);
    const bReleased = observeReleases(b.state);
    await b.store.accept(roleEvent('e2')); // another card to the same chat
    b.worker.start();
    await eventually(() => sent.length > 0 || bReleased.length > 0, 'instance B to send or wait');
    assert.equal(sent.length, 0, 'nothing sent to the conversation within the backoff');
    assert.ok(bReleased[0]! > 25_000, `the row waits out the hold (given back for ${bReleased[0]} ms)`);
  });

  // The hold is pacing, not the send's outcome: a store that refuses it must not keep the failed
  // send from being recorded (before, the hold's error skipped the row's retry and its count).
  it("a 429 whose conversation hold cannot be written still records the send's failure and backoff", async () => {
    let first = true;
    const send: SendCard = async () => {
      if (first) {
        first = false;
        throw teamsError(429);
      }
      return 'activity-1';
    };
    const a = await session.instance(send, (state) => {
      const options = shared(state);
      options.sharedPacing.scheduler.hold = async () => {
        throw new Error('the state store refused the write');
      };
      return { ...options, backoffMs: () => 30_000 };
    });
    const released = observeReleases(a.state);
    await a.store.accept(roleEvent('e1'));
    a.worker.start();
    await eventually(() => released.length === 1, 'the throttled send');
    assert.ok(released[0]! >= 30_000, `the row waits out its backoff (given back for ${released[0]} ms)`);
    const record = await a.store.get('e1');
    assert.equal(record?.attempts, 1, 'the failed send is counted once');
    assert.equal(record?.state, 'queued');
  });
});
