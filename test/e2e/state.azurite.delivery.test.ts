// Notification delivery on the Azure Storage state store (Blob records, Queue Storage outbox)
// against Azurite on loopback, two instances on one container. Queue Storage keeps a second message
// when the same id is queued again (https://learn.microsoft.com/rest/api/storageservices/put-message):
// the same event posted again queues no second message, and a second message of an event whose
// send is under way does not send.

import { strict as assert } from 'node:assert';
import { OutboundCard, SendCard } from '../../src/notifications/delivery';
import { parseEvent } from '../../src/notifications/events';
import { NotificationStore } from '../../src/notifications/store';
import { DeliveryWorker } from '../../src/notifications/worker';
import { AzureState } from '../../src/state/azure';
import { CardBindings } from '../../src/state/cardBindings';
import { ConversationReferences } from '../../src/state/references';
import { azuriteSession } from '../fixtures/azuriteSession';
import { recordingLogger } from '../fixtures/recordingLogger';

const USER = 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1';
const REQUEST = '95c690fb-3eb3-4942-a03f-4524aed6f31e';
const card: OutboundCard = { attachment: { contentType: 'application/vnd.microsoft.card.adaptive' }, summary: 's' };

function roleEvent(eventId: string) {
  const parsed = parseEvent({ eventId, kind: 'roleRequest', target: { userId: USER }, requestId: REQUEST });
  assert.ok(parsed.ok);
  return parsed.event;
}

async function eventually(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('notification delivery on Azure Storage (Azurite)', function () {
  this.timeout(60_000);
  const session = azuriteSession();
  const workers: DeliveryWorker[] = [];
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.stop(2_000);
  });

  function instance(container: string, send: SendCard, concurrency?: number) {
    const log = recordingLogger();
    const state = new AzureState({ connectionString: session.connectionString, container });
    const references = new ConversationReferences(state.records);
    const store = new NotificationStore(state);
    const worker = new DeliveryWorker({
      store,
      references,
      bindings: new CardBindings(state.records),
      send,
      render: () => card,
      logger: log.logger,
      servedTenant: null,
      pollMs: 20,
      ...(concurrency ? { concurrency } : {}),
    });
    workers.push(worker);
    return { state, references, store, worker, lines: log.lines };
  }

  it('the same event posted again to another instance queues no second message', async () => {
    const container = session.freshContainer();
    const a = instance(container, async () => 'unused');
    const b = instance(container, async () => 'unused');
    assert.equal(await a.store.accept(roleEvent('ev-dup')), 'created');
    assert.equal(await b.store.accept(roleEvent('ev-dup')), 'duplicate');
    assert.equal(await a.state.outbox.size(), 1);
  });

  it('a second message of an event whose send is under way is given back, and the card is sent once', async () => {
    const container = session.freshContainer();
    const sends: string[] = [];
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const send: SendCard = async (reference) => {
      sends.push(reference.conversation?.id ?? '');
      await gate; // a slow Teams answer: the first send is still under way
      return `activity-${sends.length}`;
    };
    // A sends one card at a time, so the second message can only be taken by B (with more, A could
    // take it itself while its send waits, and the send's deadline would then retry it).
    const a = instance(container, send, 1);
    const b = instance(container, send);
    await a.references.remember(
      {
        conversation: { id: 'a:personal', conversationType: 'personal', tenantId: 't' },
        serviceUrl: 'https://smba.example/',
        user: { id: '29:u' },
      },
      USER,
      undefined,
    );
    await a.references.flush();
    const given: number[] = [];
    const release = b.state.outbox.release.bind(b.state.outbox);
    b.state.outbox.release = (lease, delayMs) => {
      given.push(delayMs);
      // B gives the second message back until A's claim ends (a minute); it comes back here within
      // a second, so its late handling, after the card was sent, falls within the test.
      return release(lease, Math.min(delayMs, 1_000));
    };
    try {
      assert.equal(await a.store.accept(roleEvent('ev-dup')), 'created');
      a.worker.start();
      await eventually(() => sends.length === 1, 'instance A sending');
      // A second message for the same id, as Queue Storage keeps one for every Put Message.
      await b.state.outbox.enqueue('ev-dup', { eventId: 'ev-dup' });
      b.worker.start();
      await eventually(() => sends.length === 2 || given.length >= 1, 'instance B taking the second message');
      assert.equal(sends.length, 1, `the card was sent ${sends.length} times for one event`);
      assert.ok(
        (given[0] ?? 0) > 1_000,
        `the second message was given back for ${given[0]} ms, not until the claim ends`,
      );
    } finally {
      open();
    }
    await eventually(async () => (await a.store.get('ev-dup'))?.state === 'delivered', 'delivery');
    // Counted again once both messages are gone and both instances stopped cleanly: a send made
    // when the second message comes back after the delivery would show here.
    await eventually(async () => (await a.state.outbox.size()) === 0, 'both messages handled');
    await Promise.all([a.worker.stop(10_000), b.worker.stop(10_000)]);
    const troubles = [...a.lines, ...b.lines].filter((l) => (l.level as number) >= 40);
    assert.deepEqual(troubles, [], 'an instance warned or failed');
    assert.equal(sends.length, 1, `the card was sent ${sends.length} times for one event`);
    assert.equal((await a.store.get('ev-dup'))?.state, 'delivered');
  });
});
