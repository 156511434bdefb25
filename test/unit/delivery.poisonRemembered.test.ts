// A direct notification's row set aside after failing on every pass (poisonRow.ts) must not make
// the event undeliverable while this instance remembers a post of it whose outcome it could not
// write (rememberedPosts.ts): the card is in the chat, and GET would say it was not delivered.
// The claim it was sent under is gone by then (another instance took the event over through a
// second row and stopped), so the claim check alone lets the set-aside through. The row is kept
// instead (notification.deadLetter.deferred) and its next pass writes the post, as a channel
// alert's send row already does (poisonAlertRow.ts).

import { strict as assert } from 'node:assert';
import { OUTCOME_WRITE_TRIES } from '../../src/notifications/outcomeWrite';
import { connector, deliverySession, roleEvent } from '../fixtures/deliverySession';
import { recordingLogger } from '../fixtures/recordingLogger';

const LEASE_MS = 60_000;

describe('notification delivery: a row set aside while its post is remembered', () => {
  const session = deliverySession();

  /** An instance that sets a row aside after its second lease, and `pass`: one pass of the next due
   * row as the worker's loop runs it, through the set-aside judge. */
  const setup = async () => {
    const log = recordingLogger();
    const c = connector();
    const i = await session.instance(c.send, {
      logger: log.logger,
      leaseMs: LEASE_MS,
      maxRowLeases: 2,
      outcomeRetryMs: () => 1,
    });
    const loop = (i.worker as unknown as { loop: { opts: { handle(r: unknown, s: AbortSignal): Promise<void> } } })
      .loop;
    const pass = async () => {
      const row = await i.state.outbox.lease(LEASE_MS);
      assert.ok(row, 'a row is due');
      await loop.opts.handle(row, new AbortController().signal).catch(() => undefined);
    };
    return { log, c, i, pass };
  };

  it('is not made undeliverable; the remembered post is written on its next pass', async () => {
    const { log, c, i, pass } = await setup();
    // A fault of the bot's own in writing the delivered outcome (not a store that is out, which
    // never counts), until it is mended: every such write of the first two passes throws.
    const finish = i.store.finish.bind(i.store);
    let broken = true;
    let failed = 0;
    i.store.finish = async (...args) => {
      if (broken && args[1].state === 'delivered') {
        failed++;
        throw new TypeError("Cannot read properties of undefined (reading 'state')");
      }
      return finish(...args);
    };
    await i.store.accept(roleEvent('e1'));

    await pass(); // posted; its outcome not written
    assert.deepEqual(c.sent, ['a:personal']);
    assert.equal(failed, OUTCOME_WRITE_TRIES, 'every write of the pass failed');
    // The lease and the claim run out; another instance claims the event through a second row of
    // it (Azure Queue Storage keeps one per POST of the id) and stops before it sends: its claim
    // runs out too. The remembered post's claim is no longer this instance's to renew.
    session.offset += LEASE_MS + 1;
    const now = () => Date.now() + session.offset;
    assert.equal((await i.store.claim('e1', 'holder-b', now(), LEASE_MS)).kind, 'claimed');
    session.offset += LEASE_MS + 1;
    await pass(); // the 2nd lease: the remembered write fails again, and the row is judged poison
    assert.equal((await i.store.get('e1'))?.state, 'queued', 'not settled undeliverable over a posted card');
    assert.ok(!log.events().includes('notification.deadLetter'));
    const deferred = log.lines.filter((l) => l.event === 'notification.deadLetter.deferred');
    assert.equal(deferred.length, 1);
    assert.equal(deferred[0]!.level, 'warn');
    assert.equal(deferred[0]!.remembered, true);
    assert.equal(await i.state.outbox.size(), 1, 'the row is kept');

    broken = false;
    session.offset += LEASE_MS + 1;
    await pass(); // the write now goes through
    const record = await i.store.get('e1');
    assert.equal(record?.state, 'delivered');
    assert.equal(record?.activityId, 'activity-1');
    assert.deepEqual(c.sent, ['a:personal'], 'posted once');
  });

  // A remembered post no longer holds its row back 24 hours after it was made (rememberedPosts.ts:
  // it stays remembered, for the row to write if it still can). A write that fails on every pass
  // would otherwise hold the row for ever, the event queued for ever: the poison row this set-aside
  // exists to end.
  it('is set aside once the remembered post is 24 hours old, and nothing is posted again', async () => {
    const { log, c, i, pass } = await setup();
    const finish = i.store.finish.bind(i.store);
    i.store.finish = async (...args) => {
      if (args[1].state === 'delivered') throw new TypeError("Cannot read properties of undefined (reading 'state')");
      return finish(...args);
    };
    await i.store.accept(roleEvent('e1'));
    const deferrals = () => log.lines.filter((l) => l.event === 'notification.deadLetter.deferred').length;

    await pass(); // posted; its outcome not written
    session.offset += LEASE_MS + 1;
    await pass(); // poison, and deferred: the post is remembered
    assert.equal(deferrals(), 1);
    session.offset += 23 * 3_600_000;
    await pass(); // still within the day: deferred again
    assert.equal(deferrals(), 2);
    assert.equal((await i.store.get('e1'))?.state, 'queued');

    session.offset += 3_600_000;
    await pass(); // the post is a day old: let go, and the row is set aside
    assert.equal(deferrals(), 2, 'not deferred once the post is let go');
    const record = await i.store.get('e1');
    assert.equal(record?.state, 'undeliverable');
    assert.ok(log.events().includes('notification.deadLetter'));
    assert.equal(await i.state.outbox.size(), 0, 'the row is removed');
    assert.deepEqual(c.sent, ['a:personal'], 'posted once');
  });
});
