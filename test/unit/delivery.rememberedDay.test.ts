// A post Teams accepted whose outcome could not be written is remembered (rememberedPosts.ts) for
// as long as its row comes back: each pass of the row writes it from there instead of posting the
// card again. A day-old post is no longer what holds its row back from being set aside (holds(),
// poisonRow.ts), but it is still the row's to write (expired()). Letting go of every post older
// than a day whenever another card is posted (what a busy instance does every few seconds) dropped
// one whose row still came back, and that row's next pass found nothing remembered, an event still
// queued under a claim run out, and posted the card a second time.

import { strict as assert } from 'node:assert';
import { OUTCOME_WRITE_TRIES } from '../../src/notifications/outcomeWrite';
import { connector, deliverySession, handleNextRow, roleEvent } from '../fixtures/deliverySession';

const LEASE_MS = 60_000;
const DAY_MS = 24 * 3_600_000;

describe('notification delivery: a remembered post more than a day old', () => {
  const session = deliverySession();

  it('is still written by its row, not posted again, after other cards were posted', async () => {
    const c = connector();
    const i = await session.instance(c.send, { leaseMs: LEASE_MS, outcomeRetryMs: () => 1 });
    // The delivered outcome of e1 cannot be written (every try of each pass fails) until mended;
    // every other event's is.
    const finish = i.store.finish.bind(i.store);
    let broken = true;
    let failed = 0;
    i.store.finish = async (...args) => {
      if (broken && args[0] === 'e1' && args[1].state === 'delivered') {
        failed++;
        throw new Error('the outcome of e1 cannot be written');
      }
      return finish(...args);
    };
    const handle = () => handleNextRow(i, LEASE_MS);
    await i.store.accept(roleEvent('e1'));

    await handle(); // e1 posted; its outcome not written: remembered
    assert.deepEqual(c.sent, ['a:personal']);
    assert.equal(failed, OUTCOME_WRITE_TRIES);

    // The row comes back after each lease and fails again, for almost a day.
    session.offset += DAY_MS - 30_000;
    await handle();
    assert.equal(failed, 2 * OUTCOME_WRITE_TRIES, 'the row came back and wrote the remembered post again');
    assert.deepEqual(c.sent, ['a:personal'], 'not posted again');
    assert.equal((await i.store.get('e1'))?.state, 'queued');

    // While e1's row is leased away, another event's card is posted: the post of e1 is a day old.
    await i.store.accept(roleEvent('e2'));
    session.offset += 40_000;
    await handle();
    assert.deepEqual(c.sent, ['a:personal', 'a:personal'], 'e2 posted');
    assert.equal((await i.store.get('e2'))?.state, 'delivered');

    // The write is mended; e1's row comes back once its lease (and the claim renewed with it) ran out.
    broken = false;
    session.offset += LEASE_MS + 1;
    await handle();
    const record = await i.store.get('e1');
    assert.equal(record?.state, 'delivered');
    assert.equal(record?.activityId, 'activity-1', 'the card posted a day ago is the one recorded');
    assert.deepEqual(c.sent, ['a:personal', 'a:personal'], 'e1 posted once, e2 once: no second card of e1');
  });
});
