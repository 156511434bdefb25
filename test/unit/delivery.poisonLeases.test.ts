// A row whose handling throws on every pass (a fault in the worker for this one event, here the
// lookup of a channel's reference) is dead-lettered once it has been leased MAX_ROW_LEASES times:
// the event undeliverable with a reason that carries no error text, the row removed, a line at
// error level naming the event. Before, it came back after every lease for ever. The count is the
// row's leases (Queue Storage's dequeueCount,
// https://learn.microsoft.com/en-us/rest/api/storageservices/get-messages), so it is judged only
// when a handling threw: a send retried after Teams' 503s, or a store that is out for a while,
// never dead-letters an event.

import { strict as assert } from 'node:assert';
import { parseEvent } from '../../src/notifications/events';
import { MAX_ROW_LEASES } from '../../src/notifications/poisonRow';
import { StateUnavailableError } from '../../src/state/port';
import { StoredReference } from '../../src/state/references';
import { connector, deliverySession, eventually, roleEvent, teamsError } from '../fixtures/deliverySession';
import { recordingLogger } from '../fixtures/recordingLogger';

const CHANNEL = '19:poison@thread.tacv2';

function channelEvent(eventId: string) {
  const parsed = parseEvent({
    eventId,
    kind: 'roleRequest',
    target: { channelId: CHANNEL },
    requestId: '95c690fb-3eb3-4942-a03f-4524aed6f31e',
  });
  assert.ok(parsed.ok);
  return parsed.event;
}

const channel: StoredReference = {
  conversation: { id: CHANNEL, conversationType: 'channel', tenantId: 't' },
  serviceUrl: 'https://smba.example/',
};

describe('notification delivery of a row that fails on every pass', () => {
  const session = deliverySession();

  // The lease is far longer than any pass takes, however loaded the machine, and the test moves the
  // clock past it only once the pass under way has ended (the worker's own log lines say when): a
  // lease of a few milliseconds of real time ran out while a pass was still working (the good
  // row's, between its claim and its outcome), so the row was leased again and its card sent twice.
  it('dead-letters the event after MAX_ROW_LEASES leases, and delivers the next', async () => {
    const log = recordingLogger();
    const { send, sent } = connector();
    let lookups = 0;
    const LEASE = 60_000;
    const { store, state, worker } = await session.instance(send, {
      logger: log.logger,
      leaseMs: LEASE,
      // An unexpected fault in the worker for this one row, at a seam the worker has.
      channelReference: async () => {
        lookups++;
        throw new TypeError("Cannot read properties of undefined (reading 'id') at /srv/app/dist/x.js:1");
      },
    });
    const ended = (event: string, eventId: string) =>
      log.lines.filter((l) => l.event === event && l.eventId === eventId).length;
    await store.accept(channelEvent('poison'));
    await store.accept(roleEvent('good'));
    worker.start();
    // The good row's pass is over (its line is logged after its row is completed) before the clock
    // moves: no lease or claim of it runs out while it works.
    await eventually(() => ended('notification.delivered', 'good') === 1, 'the good event delivered');
    // One pass of the poison row per lease: each failed pass is logged once it has ended; the row
    // comes back when its lease has run out, which only the clock moved on makes it. Bounded, so a
    // row never set aside still ends the loop (and fails the assertions below).
    for (let pass = 1; ; pass++) {
      await eventually(() => ended('notification.delivery.failed', 'poison') >= pass, `pass ${pass} of the poison row`);
      if ((await store.get('poison'))?.state !== 'queued' || pass > MAX_ROW_LEASES) break;
      session.offset += LEASE + 1;
      worker.kick();
    }
    const record = await store.get('poison');
    assert.equal(record?.state, 'undeliverable');
    assert.equal(lookups, MAX_ROW_LEASES, 'handled once per lease until the cap');
    assert.match(record?.reason ?? '', new RegExp(`failed while handling this event, ${MAX_ROW_LEASES} times`));
    assert.doesNotMatch(record?.reason ?? '', /TypeError|Cannot read|\/srv|\.js/, 'no error text for the sender');
    await eventually(async () => (await store.get('good'))?.state === 'delivered', 'the good event delivered');
    assert.deepEqual(sent, ['a:personal']);
    await eventually(async () => (await state.outbox.size()) === 0, 'the poison row removed');
    const dead = log.lines.filter((l) => l.event === 'notification.deadLetter');
    assert.equal(dead.length, 1);
    assert.equal(dead[0]!.level, 'error');
    assert.equal(dead[0]!.eventId, 'poison');
    assert.equal(dead[0]!.err, undefined, 'the dead-letter line carries no stack');
  });

  // Another instance may claim the event (through a second row: Azure Queue Storage keeps one per
  // POST of the id) between this row's read of the record and its throw, and be posting the card
  // now. Settling the record undeliverable then would make that post's outcome write find the event
  // settled: a card in the chat, and the sender told it was not delivered. The live claim is
  // waited out instead; the row comes back, and is set aside only if it throws again with no send
  // under way.
  it("does not set an event aside while another holder's claim on it is live", async () => {
    const log = recordingLogger();
    const { send, sent } = connector();
    const LEASE = 60_000;
    const { store, worker } = await session.instance(send, {
      logger: log.logger,
      leaseMs: LEASE,
      maxRowLeases: 1,
      channelReference: async () => {
        const now = Date.now() + session.offset;
        assert.equal((await store.claim('racing', 'holder-b', now, LEASE)).kind, 'claimed');
        throw new TypeError('unexpected');
      },
    });
    await store.accept(channelEvent('racing'));
    worker.start();
    await eventually(() => log.events().includes('notification.delivery.failed'), 'the handling failed');
    assert.equal((await store.get('racing'))?.state, 'queued', 'not settled under the live claim');
    assert.ok(!log.events().includes('notification.deadLetter'));
    // The other holder's post lands: its outcome is the one written.
    const posted = { state: 'delivered' as const, activityId: 'activity-b', conversationId: CHANNEL };
    assert.equal(await store.finish('racing', posted, 1, Date.now() + session.offset), true);
    assert.equal((await store.get('racing'))?.activityId, 'activity-b');
    assert.deepEqual(sent, []);
  });

  // A handling that throws after claiming the send (here a category event's hand-over to its
  // channels) leaves its own claim live at every pass; that claim is no send under way, so it must
  // not keep the event from being set aside.
  it('sets an event aside whose handling throws after its own claim on every pass', async () => {
    const log = recordingLogger();
    const { send } = connector();
    let publishes = 0;
    const { store, state, worker } = await session.instance(send, {
      logger: log.logger,
      leaseMs: 20,
      maxRowLeases: 2,
      alerts: {
        rows: { owns: () => false, handle: async () => undefined, setAside: async () => undefined },
        publish: async () => {
          publishes++;
          throw new TypeError('unexpected');
        },
      },
    });
    const parsed = parseEvent({
      eventId: 'fanned',
      kind: 'roleRequest',
      target: { category: 'roleRequests' },
      requestId: '95c690fb-3eb3-4942-a03f-4524aed6f31e',
    });
    assert.ok(parsed.ok);
    await store.accept(parsed.event);
    worker.start();
    await eventually(async () => (await store.get('fanned'))?.state !== 'queued', 'the event set aside', 3_000);
    assert.equal((await store.get('fanned'))?.state, 'undeliverable');
    assert.equal(publishes, 2);
    await eventually(async () => (await state.outbox.size()) === 0, 'the row removed');
  });

  it('never dead-letters an event for a store that is out, however often its row comes back', async () => {
    const log = recordingLogger();
    const { send, sent } = connector();
    let lookups = 0;
    const { store, worker } = await session.instance(send, {
      logger: log.logger,
      leaseMs: 20,
      maxRowLeases: 2,
      channelReference: async () => {
        if (++lookups <= 5) throw new StateUnavailableError('state store: read failed (SQLITE_BUSY)');
        return channel;
      },
    });
    await store.accept(channelEvent('outage'));
    worker.start();
    await eventually(async () => (await store.get('outage'))?.state !== 'queued', 'the event settled');
    assert.equal((await store.get('outage'))?.state, 'delivered');
    assert.deepEqual(sent, [CHANNEL]);
    assert.ok(!log.events().includes('notification.deadLetter'));
  });

  it('never dead-letters an event for the retries of a send Teams refused with 503', async () => {
    const log = recordingLogger();
    // Each retry gives the row back to be leased again: more leases than the cap.
    const { send, sent } = connector([teamsError(503), teamsError(503), teamsError(503)]);
    const { store, worker } = await session.instance(send, { logger: log.logger, maxRowLeases: 2, maxAttempts: 6 });
    await store.accept(roleEvent('retried'));
    worker.start();
    await eventually(async () => (await store.get('retried'))?.state !== 'queued', 'the event settled');
    const record = await store.get('retried');
    assert.equal(record?.state, 'delivered');
    assert.equal(record?.attempts, 4);
    assert.deepEqual(sent, ['a:personal']);
    assert.ok(!log.events().includes('notification.deadLetter'));
  });
});
