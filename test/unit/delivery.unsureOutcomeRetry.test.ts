// A send whose card may be in the chat although Teams gave no message id: a 500, which Teams' table
// of the bot APIs' status codes marks "Retry: No" (the post may have been made,
// https://learn.microsoft.com/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis),
// or a 2xx without an id. The README says neither is sent again: the event is `undeliverable`. Its
// outcome was written once: a write that failed (a storage blip) left the row to come back after
// its lease with the event still queued and its claim expired, and the next pass sent the card
// again. The write is now tried again as a posted card's is, keeping the row and the claim.

import { strict as assert } from 'node:assert';
import { SendCard } from '../../src/notifications/delivery';
import { OUTCOME_WRITE_TRIES } from '../../src/notifications/outcomeWrite';
import { deliverySession, failNextFinish, handleNextRow, roleEvent, teamsError } from '../fixtures/deliverySession';

const LEASE_MS = 60_000;

describe('notification delivery: a send that may have posted, whose outcome write fails', () => {
  const session = deliverySession();

  for (const [what, first] of [
    ['Teams answered 500', () => Promise.reject(teamsError(500))],
    ['Teams answered without a message id', () => Promise.resolve(undefined)],
  ] as const) {
    it(`is not sent again (${what})`, async () => {
      let sends = 0;
      const send: SendCard = async () => (++sends === 1 ? first() : `activity-${sends}`);
      const a = await session.instance(send, { leaseMs: LEASE_MS, outcomeRetryMs: () => 10 });
      failNextFinish(a.store, 'before');
      await a.store.accept(roleEvent('e1'));
      await handleNextRow(a, LEASE_MS);
      assert.equal(sends, 1);
      // The row's lease and the claim run out; whatever row is left is taken again.
      session.offset += LEASE_MS + 1;
      const left = await a.state.outbox.lease(LEASE_MS);
      if (left) await (a.worker as unknown as { handle(r: unknown): Promise<void> }).handle(left).catch(() => {});
      assert.equal(sends, 1, 'the card was sent once');
      const record = await a.store.get('e1');
      assert.equal(record?.state, 'undeliverable');
      assert.equal(record?.attempts, 1);
      assert.equal(await a.state.outbox.size(), 0, 'the row is done');
    });
  }

  // A store out for every write of the pass (README: a posted card's outcome is then remembered by
  // the instance that posted it, and its row's next pass there writes it): the same holds for an
  // outcome that may have posted. It was let go with the failed pass, and the row's next pass on
  // the same instance found the event queued, its claim expired, and sent the card again.
  for (const [what, first] of [
    ['Teams answered 500', () => Promise.reject(teamsError(500))],
    ['Teams answered without a message id', () => Promise.resolve(undefined)],
  ] as const) {
    it(`is not sent again by the row's next pass when every write of the pass failed (${what})`, async () => {
      let sends = 0;
      const send: SendCard = async () => (++sends === 1 ? first() : `activity-${sends}`);
      const a = await session.instance(send, { leaseMs: LEASE_MS, outcomeRetryMs: () => 5 });
      failNextFinish(a.store, 'before', OUTCOME_WRITE_TRIES);
      await a.store.accept(roleEvent('e1'));
      await handleNextRow(a, LEASE_MS);
      assert.equal(sends, 1);
      assert.equal((await a.store.get('e1'))?.state, 'queued', 'no write went through');
      session.offset += LEASE_MS + 1;
      await handleNextRow(a, LEASE_MS, false);
      assert.equal(sends, 1, 'the card was sent once');
      const record = await a.store.get('e1');
      assert.equal(record?.state, 'undeliverable');
      assert.match(record?.reason ?? '', what.includes('500') ? /may or may not have been posted/ : /message id/);
      assert.equal(record?.attempts, 1);
      assert.equal(await a.state.outbox.size(), 0, 'the row is done');
    });
  }
});
