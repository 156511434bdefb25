// The Azure Storage state store's outbox on Queue Storage against Azurite on loopback: the queue's
// name, a message that is not an item set aside, an item due beyond one visibility timeout put back,
// and a lease's pop receipt renewed. Leases are visibility timeouts on the service's clock: the
// tests poll the service rather than move a fake clock.

import { QueueClient } from '@azure/storage-queue';
import { strict as assert } from 'node:assert';
import { AzureState, outboxQueueName } from '../../src/state/azure';
import { azuriteSession } from '../fixtures/azuriteSession';
import { problemTexts } from '../fixtures/problemTexts';

async function eventually<T>(probe: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error('never happened');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Azure Storage state store on Azurite', function () {
  this.timeout(60_000);
  const session = azuriteSession();
  const { freshContainer } = session;

  it('names the outbox queue after the container, always validly', () => {
    assert.equal(outboxQueueName('governance-state'), 'governance-state-outbox');
    const long = outboxQueueName(`${'a'.repeat(55)}-bcdefgh`);
    assert.equal(long, `${'a'.repeat(55)}-outbox`);
    assert.match(long, /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/);
  });

  it('sets an outbox message that is not an item aside and leases the next', async () => {
    const container = freshContainer();
    const state = new AzureState({ connectionString: session.connectionString, container });
    await state.check();
    const queue = new QueueClient(session.connectionString, outboxQueueName(container));
    await queue.sendMessage('not json');
    await state.outbox.enqueue('e1', { eventId: 'e1' });
    const leases = [await state.outbox.lease(60_000), await state.outbox.lease(60_000)];
    assert.deepEqual(
      leases.map((l) => l?.id ?? null).filter((id) => id !== null),
      ['e1'],
    );
    assert.match(problemTexts(state).join('\n'), /outbox message .*: its text is not an outbox item; kept as/);
    assert.equal(await state.outbox.size(), 1, 'only the real item is left');
  });

  // A message that parses but names no event (a foreign writer, a hand edit) would come back to
  // fail every worker on every lease, for good: the worker reads `payload.eventId`, and a
  // dequeue count cannot tell it from a row waiting out an outage. It is set aside like text that
  // is not JSON, with its reason.
  it('sets aside a message whose payload names no event, and leases the next', async () => {
    const container = freshContainer();
    const state = new AzureState({ connectionString: session.connectionString, container });
    await state.check();
    const queue = new QueueClient(session.connectionString, outboxQueueName(container));
    const poisons = [
      { id: 'p1', payload: null },
      { id: 'p2', payload: 'e1' },
      { id: 'p3', payload: { eventId: 7 } },
      { id: 'p4', payload: { eventId: 'e1' }, early: 'x' },
    ];
    for (const poison of poisons) await queue.sendMessage(JSON.stringify(poison));
    await state.outbox.enqueue('e1', { eventId: 'e1' });
    const leased: string[] = [];
    for (let i = 0; i < poisons.length + 2; i++) {
      const lease = await state.outbox.lease(60_000);
      if (lease) leased.push(`${lease.id} ${JSON.stringify(lease.payload)} ${lease.attempts}`);
    }
    assert.deepEqual(leased, ['e1 {"eventId":"e1"} 1']);
    assert.equal(problemTexts(state).length, poisons.length, problemTexts(state).join('\n'));
    assert.equal(await state.outbox.size(), 1, 'only the real item is left');
  });

  it('an item due beyond what one visibility timeout hides is put back, and that is no attempt', async () => {
    let clock = Date.now();
    const container = freshContainer();
    const state = new AzureState({ connectionString: session.connectionString, container, storageTime: () => clock });
    await state.check();
    // What enqueue writes for a due time past 7 days, here due in 2 s and visible at once.
    const queue = new QueueClient(session.connectionString, outboxQueueName(container));
    await queue.sendMessage(JSON.stringify({ id: 'far', payload: { eventId: 'far' }, notBefore: clock + 2_000 }));
    assert.equal(await state.outbox.lease(60_000), null, 'surfaced early: put back');
    clock += 2_000;
    const lease = await eventually(() => state.outbox.lease(60_000));
    assert.equal(lease.id, 'far');
    assert.equal(lease.attempts, 1, 'putting it back was not an attempt');
  });

  it('an extended lease carries the new pop receipt, and the old one is void', async () => {
    const state = new AzureState({ connectionString: session.connectionString, container: freshContainer() });
    await state.outbox.enqueue('e1', { eventId: 'e1' });
    const held = (await state.outbox.lease(60_000))!;
    const renewed = (await state.outbox.extend(held, 60_000))!;
    assert.notEqual(renewed.receipt, held.receipt, 'Queue Storage gives a new pop receipt on every update');
    assert.equal(await state.outbox.complete(held), false, 'the old receipt is void');
    assert.equal(await state.outbox.complete(renewed), true);
  });
});
