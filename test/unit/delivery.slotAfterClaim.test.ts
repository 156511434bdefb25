// A direct notification's send slot is reserved in the shared send scheduler before its send is
// claimed on the event's record. A claim write that fails (the store out for a moment) must give
// the slot back: left reserved, it counts as a send in the tenant's window (Teams allows a bot 30
// sends per second per tenant, https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit)
// and in the thread's, and the next send waits for a slot no card used. Here the tenant's window
// is one send a minute, so a lost slot shows as the next card not sent.

import { strict as assert } from 'node:assert';
import { RecordsLogStore, SendScheduler } from '../../src/alerts/rateLimits';
import { ConversationPacer } from '../../src/notifications/pacer';
import type { NotificationStore } from '../../src/notifications/store';
import { StateUnavailableError } from '../../src/state/port';
import { connector, deliverySession, handleNextRow, roleEvent } from '../fixtures/deliverySession';

/** The first claim write on `a`'s record store fails as a store out for a moment does; the rest go through. */
function failFirstClaim(a: { store: Pick<NotificationStore, 'claim'> }): void {
  const claim = a.store.claim.bind(a.store);
  let failures = 1;
  a.store.claim = async (...args) => {
    if (failures-- > 0) throw new StateUnavailableError('state store: write failed (SQLITE_IOERR)');
    return claim(...args);
  };
}

describe('notification delivery when the claim of a send fails after its slot was reserved', () => {
  const session = deliverySession();

  it('gives the slot back, so the next card takes it', async () => {
    const { send, sent } = connector();
    const a = await session.instance(send, (state) => ({
      sharedPacing: {
        scheduler: new SendScheduler({
          store: new RecordsLogStore(state.records),
          now: () => Date.now() + session.offset,
          tenantLimits: [{ limit: 1, windowMs: 60_000 }],
        }),
        tenantId: 't',
      },
    }));
    failFirstClaim(a);
    await a.store.accept(roleEvent('first'));
    await handleNextRow(a, 60_000); // its claim write fails: the row comes back after its lease
    assert.deepEqual(sent, []);
    await a.store.accept(roleEvent('second'));
    await handleNextRow(a, 60_000);
    assert.deepEqual(sent, ['a:personal'], 'the second card took the slot the first did not use');
    assert.equal((await a.store.get('second'))?.state, 'delivered');
  });

  it("gives the slot back to this process's pacer too (7 sends per second per thread)", async () => {
    const { send, sent } = connector();
    const pacer = new ConversationPacer();
    const a = await session.instance(send, { pacer });
    // Six sends to the chat this second: one slot is left in its one-second window.
    for (let i = 0; i < 6; i++) assert.equal(pacer.reserve('a:personal', Date.now() + session.offset), 0);
    failFirstClaim(a);
    await a.store.accept(roleEvent('first'));
    await handleNextRow(a, 60_000);
    await a.store.accept(roleEvent('second'));
    await handleNextRow(a, 60_000);
    assert.deepEqual(sent, ['a:personal'], 'the second card took the slot the first did not use');
  });
});
