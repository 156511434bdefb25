// One event, one send, however many outbox rows it has and whoever holds them: the worker claims
// the send on the event's record before sending. Azure Queue Storage keeps a second message when
// the same id is queued again (https://learn.microsoft.com/rest/api/storageservices/put-message),
// modelled here by an in-memory queue; a lease can run out while its holder is still at work.

import { strict as assert } from 'node:assert';
import { SendCard } from '../../src/notifications/delivery';
import { CardBindings } from '../../src/state/cardBindings';
import { WorkQueue } from '../../src/state/port';
import { AzureLikeQueue } from '../fixtures/azureLikeQueue';
import { connector, deliverySession, eventually, roleEvent, teamsError } from '../fixtures/deliverySession';

const LEASE_MS = 60_000;

/** Records the delay of every row given back to `queue`. */
function releasesOf(queue: WorkQueue<{ readonly eventId: string }>): number[] {
  const delays: number[] = [];
  const release = queue.release.bind(queue);
  queue.release = (lease, delayMs) => {
    delays.push(delayMs);
    return release(lease, delayMs);
  };
  return delays;
}

/** A send that waits for the test to let it answer. */
function gatedSend() {
  const started: string[] = [];
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  const send: SendCard = async () => {
    started.push('send');
    await gate;
    return `activity-${started.length}`;
  };
  return { send, started, open };
}

describe('notification delivery: one send per event', () => {
  const session = deliverySession();
  const { instance } = session;
  const clock = () => Date.now() + session.offset;

  it('two outbox rows for one event post its card once: the second row waits while the first sends', async () => {
    const teams = gatedSend();
    const outbox = new AzureLikeQueue<{ eventId: string }>(clock);
    const { store, worker } = await instance(teams.send, { leaseMs: LEASE_MS, concurrency: 4 }, outbox);
    await store.accept(roleEvent('e1'));
    // A second message for the same id, as a repair of a record without its mark leaves on Azure.
    await outbox.enqueue('e1', { eventId: 'e1' });
    const released = releasesOf(outbox);
    worker.start();
    await eventually(() => teams.started.length === 2 || released.length === 1, 'the second row handled');
    assert.equal(teams.started.length, 1, 'the second row did not send while the first was sending');
    teams.open();
    await eventually(async () => (await store.get('e1'))?.state === 'delivered', 'delivery');
    session.offset += LEASE_MS + 1;
    worker.kick();
    await eventually(async () => (await outbox.size()) === 0, 'both rows done');
    assert.equal(teams.started.length, 1, 'the card was posted once');
  });

  it('a second outbox row waits out the Retry-After of a throttled send instead of sending at once', async () => {
    // https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit: wait Retry-After.
    const teams = connector([teamsError(429, '30')]);
    let tries = 0;
    const send: SendCard = (reference, card, signal) => {
      tries++;
      return teams.send(reference, card, signal);
    };
    const outbox = new AzureLikeQueue<{ eventId: string }>(clock);
    const { store, worker } = await instance(send, { leaseMs: LEASE_MS }, outbox);
    await store.accept(roleEvent('e1'));
    await outbox.enqueue('e1', { eventId: 'e1' });
    const released = releasesOf(outbox);
    worker.start();
    await eventually(() => tries === 2 || released.length === 2, 'both rows handled');
    assert.equal(tries, 1, 'no second send within Retry-After');
    assert.ok(released.every((ms) => ms > 0));
    session.offset += LEASE_MS + 1;
    worker.kick();
    await eventually(async () => (await store.get('e1'))?.state === 'delivered', 'delivery');
    // The other row may have found the send under way and waits out its claim: then it completes.
    session.offset += LEASE_MS + 1;
    worker.kick();
    await eventually(async () => (await outbox.size()) === 0, 'both rows done');
    const record = await store.get('e1');
    assert.equal(record?.attempts, 2);
    assert.deepEqual(teams.sent, ['a:personal'], 'posted once after the wait');
  });

  it('an instance whose lease ran out while it read the recipient does not send after another delivered', async () => {
    const teams = connector();
    let reading!: () => void;
    const readStarted = new Promise<void>((r) => (reading = r));
    let finishRead!: () => void;
    const readHeld = new Promise<void>((r) => (finishRead = r));
    // Instance A: its read of the recipient's reference is slow (a storage call near its deadline).
    const a = await instance(teams.send, (state) => {
      const get = state.records.get.bind(state.records);
      state.records.get = async (key) => {
        if (key.startsWith('ref:')) {
          reading();
          await readHeld;
        }
        return get(key);
      };
      return { leaseMs: LEASE_MS };
    });
    const b = await instance(teams.send, { leaseMs: LEASE_MS });
    await a.store.accept(roleEvent('e1'));
    a.worker.start();
    await readStarted;
    session.offset += LEASE_MS + 1; // A's lease runs out while A still works
    b.worker.start();
    await eventually(async () => (await b.store.get('e1'))?.state === 'delivered', 'B delivers');
    finishRead();
    await a.worker.stop(5_000); // waits for A's handling of the row to end
    assert.deepEqual(teams.sent, ['a:personal'], 'posted once');
  });

  it('a holder slow to record the card Teams accepted is not taken for dead: no second send, and the card is bound', async () => {
    // The outcome is written in the write that ends the claim, before the card's binding and copy:
    // a holder whose store is slow there (longer than what is left of its claim) leaves an event
    // already delivered, and whoever takes its row next stores the binding instead of sending.
    const teams = connector();
    let binding!: () => void;
    const bindStarted = new Promise<void>((r) => (binding = r));
    let finishBind!: () => void;
    const bindHeld = new Promise<void>((r) => (finishBind = r));
    const a = await instance(teams.send, (state) => {
      // A binding is written by create or replace (it keeps a card's final word, cardBindings.ts).
      const held = async (key: string) => {
        if (key.startsWith('card:')) {
          binding();
          await bindHeld;
        }
      };
      const { create, replace } = {
        create: state.records.create.bind(state.records),
        replace: state.records.replace.bind(state.records),
      };
      state.records.create = async (key, value, options) => (await held(key), create(key, value, options));
      state.records.replace = async (key, value, version, options) => (
        await held(key),
        replace(key, value, version, options)
      );
      return { leaseMs: LEASE_MS };
    });
    const b = await instance(teams.send, { leaseMs: LEASE_MS });
    const event = roleEvent('e1');
    await a.store.accept(event);
    a.worker.start();
    await bindStarted;
    session.offset += LEASE_MS + 1; // A's lease and claim run out while A still writes the binding
    b.worker.start();
    await eventually(async () => (await b.state.outbox.size()) === 0, "B handles A's row");
    assert.deepEqual(teams.sent, ['a:personal'], 'posted once');
    const record = await b.store.get('e1');
    assert.equal(record?.state, 'delivered');
    assert.equal(record?.activityId, 'activity-1');
    assert.equal(record?.attempts, 1);
    assert.deepEqual(
      await new CardBindings(b.state.records).itemsOf('a:personal', 'activity-1'),
      [{ operation: event.item.operation, ids: event.item.ids }],
      'B bound the card A posted',
    );
    finishBind();
    await a.worker.stop(5_000);
    assert.deepEqual(teams.sent, ['a:personal'], 'still posted once');
  });

  it('a send whose holder died with no outcome is sent again when its claim expires, counted as an attempt', async () => {
    // Nobody knows whether the first send reached Teams: like a send with no answer in time, it
    // is tried again (at least once), and the attempt counts toward the budget.
    const hung = gatedSend();
    const a = await instance(hung.send, { leaseMs: LEASE_MS });
    await a.store.accept(roleEvent('e1'));
    a.worker.start();
    await eventually(() => hung.started.length === 1, "A's send under way");
    session.offset += LEASE_MS + 1; // A is gone: its lease and its claim run out
    const teams = connector();
    const b = await instance(teams.send, { leaseMs: LEASE_MS });
    b.worker.start();
    await eventually(async () => (await b.store.get('e1'))?.state === 'delivered', 'B delivers');
    const record = await b.store.get('e1');
    assert.equal(record?.attempts, 2, "A's send counted");
    assert.equal(record?.sending, undefined, 'no claim left');
    assert.deepEqual(teams.sent, ['a:personal']);
  });

  it('a dead holder whose send was the last of the budget leaves the event undeliverable, with no more sends', async () => {
    const teams = connector();
    const { store, state, worker } = await instance(teams.send, { leaseMs: LEASE_MS, maxAttempts: 6 });
    // Five attempts counted, and a sixth whose instance died during the send (its claim expired).
    await state.records.create(
      'event:e1',
      {
        event: roleEvent('e1'),
        state: 'queued',
        acceptedAt: new Date().toISOString(),
        attempts: 5,
        enqueued: true,
        sending: { holder: 'gone', until: clock() - 1 },
      },
      'none',
    );
    await state.outbox.enqueue('e1', { eventId: 'e1' });
    worker.start();
    await eventually(async () => (await store.get('e1'))?.state === 'undeliverable', 'the outcome');
    const record = await store.get('e1');
    assert.equal(record?.attempts, 6);
    assert.match(record?.reason ?? '', /after 6 attempts \(last: no answer in time\)/);
    assert.deepEqual(teams.sent, [], 'no seventh send');
  });
});
