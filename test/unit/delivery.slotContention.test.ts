// A send slot comes from the shared send scheduler (Teams' per-thread and per-tenant limits,
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit), whose windows
// other instances write too. A reservation that loses the thread's window to other writers 50
// times in a row is contention in the shared store, like updateRecord's own exhaustion: no fault
// of the event. It failed with a plain Error, which a direct notification's failed pass counts
// towards setting the event aside (README: "a state store that cannot be reached is no fault of
// the event and never counts"), so an event could end `undeliverable` ("Governance Bot failed
// while handling this event, 20 times") for other instances' sends to the same chat.

import { strict as assert } from 'node:assert';
import { LogStore, SendScheduler } from '../../src/alerts/rateLimits';
import { EMPTY_LOG } from '../../src/alerts/windowLog';
import { StateUnavailableError } from '../../src/state/port';
import { connector, deliverySession, roleEvent } from '../fixtures/deliverySession';

/** A log store in which another writer takes the thread's slot between every look and take. */
function alwaysLosingThread(): LogStore {
  const calls = new Map<string, number>();
  return {
    update: async <R>(key: string, change: Parameters<LogStore['update']>[1]): Promise<R> => {
      const n = (calls.get(key) ?? 0) + 1;
      calls.set(key, n);
      // The thread's log is read (odd calls), then found taken at the chosen moment (even calls).
      if (key.includes(':thread:') && n % 2 === 0) return false as R;
      return change(EMPTY_LOG).result as R;
    },
  };
}

describe('a send slot lost to other writers every time', () => {
  const session = deliverySession();

  it('fails the reservation as the store being unavailable', async () => {
    await assert.rejects(new SendScheduler({ store: alwaysLosingThread() }).reserve('t', 'c'), StateUnavailableError);
  });

  it('never sets the direct notification aside, however many leases its row had', async () => {
    const { send, sent } = connector();
    const scheduler = new SendScheduler({ store: alwaysLosingThread(), now: () => Date.now() + session.offset });
    const a = await session.instance(send, { sharedPacing: { scheduler, tenantId: 't' }, maxRowLeases: 1 });
    await a.store.accept(roleEvent('e1'));
    const row = await a.state.outbox.lease(60_000);
    assert.ok(row);
    const handle = (a.worker as unknown as { loop: { opts: { handle(r: unknown): Promise<void> } } }).loop.opts.handle;
    // The pass fails (the loop logs it); what matters is what it leaves.
    await handle(row).catch(() => undefined);
    assert.equal((await a.store.get('e1'))?.state, 'queued', 'not set aside');
    assert.equal(await a.state.outbox.size(), 1, 'its row comes back');
    assert.deepEqual(sent, []);
    assert.ok(!a.events().some((e) => (e as { event?: string }).event === 'notification.deadLetter'));
  });
});
