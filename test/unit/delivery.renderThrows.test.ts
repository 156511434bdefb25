// A direct notification whose card cannot be rendered (a fault in the bot for this one event, not
// an answer from Teams) is set aside as every pass that fails in the bot is: after MAX_ROW_LEASES
// leases, undeliverable with "Governance Bot failed while handling this event, …", logged as
// notification.deadLetter. Before, the card was rendered inside the send's try: the throw was read
// as "Teams gave no answer", counted as a send attempt and retried, and after maxAttempts the event
// was settled "Teams did not accept the card after N attempts (last: no answer in time)", which
// blamed Teams for what never reached it. The send slot the pass took is given back unused. A
// category event's card, rendered after its claim, gives the claim back the same way.

import { strict as assert } from 'node:assert';
import { parseEvent } from '../../src/notifications/events';
import { MAX_ROW_LEASES } from '../../src/notifications/poisonRow';
import {
  DeliverySession,
  REQUEST,
  connector,
  deliverySession,
  eventually,
  roleEvent,
} from '../fixtures/deliverySession';
import { recordingLogger } from '../fixtures/recordingLogger';
import type { SqliteState } from '../../src/state/sqlite';
import type { DeliveryWorker } from '../../src/notifications/worker';

// Passes are run by hand, one lease each, with the clock moved past the lease between them: a real
// short lease let a slow pass overlap the next lease on a loaded machine, so the renders counted
// per lease depended on the machine's load, not on the worker.
const LEASE_MS = 60_000;

async function passesUntilSettled(
  session: DeliverySession,
  i: { readonly state: SqliteState; readonly worker: DeliveryWorker },
  store: { get(id: string): Promise<{ state: string } | null> },
  eventId: string,
): Promise<void> {
  // The loop's own step for a leased row (set aside at the cap, or handled), without its timer.
  const loop = (i.worker as unknown as { loop: { opts: { handle(row: unknown, stop: AbortSignal): Promise<void> } } })
    .loop;
  for (let pass = 0; pass < 3 * MAX_ROW_LEASES; pass++) {
    const row = await i.state.outbox.lease(LEASE_MS);
    assert.ok(row, `a row of ${eventId} is due`);
    await loop.opts.handle(row, new AbortController().signal).catch(() => undefined);
    if ((await store.get(eventId))?.state !== 'queued') return;
    session.offset += LEASE_MS + 1;
  }
  assert.fail(`${eventId} still queued after ${3 * MAX_ROW_LEASES} passes`);
}

describe('notification delivery of a card that cannot be rendered', () => {
  const session = deliverySession();

  it('sets the event aside as a fault of the bot, not as sends Teams did not answer', async () => {
    const log = recordingLogger();
    const c = connector();
    let renders = 0;
    const instance = await session.instance(c.send, {
      logger: log.logger,
      leaseMs: LEASE_MS,
      maxAttempts: 3,
      render: () => {
        renders++;
        throw new TypeError("Cannot read properties of undefined (reading 'title') at /srv/app/dist/cards.js:1");
      },
    });
    const { store, state } = instance;
    await store.accept(roleEvent('unrenderable'));
    await passesUntilSettled(session, instance, store, 'unrenderable');
    const record = await store.get('unrenderable');
    assert.equal(record?.state, 'undeliverable');
    assert.match(record?.reason ?? '', new RegExp(`failed while handling this event, ${MAX_ROW_LEASES} times`));
    assert.doesNotMatch(record?.reason ?? '', /Teams did not accept|TypeError|\/srv/);
    assert.equal(record?.attempts, 0, 'nothing reached Teams, so no send attempt is counted');
    assert.equal(renders, MAX_ROW_LEASES, 'rendered once per lease until the cap');
    assert.deepEqual(c.sent, []);
    assert.ok(!log.events().includes('notification.retry'), 'not retried as a send Teams did not answer');
    const dead = log.lines.filter((l) => l.event === 'notification.deadLetter');
    assert.equal(dead.length, 1);
    assert.equal(dead[0]!.errorType, 'TypeError');
    await eventually(async () => (await state.outbox.size()) === 0, 'the row removed');
  });

  it('gives the send slot back when the render throws', async () => {
    const c = connector();
    let renders = 0;
    const released: string[] = [];
    const { store, worker } = await session.instance(c.send, {
      maxRowLeases: 1,
      render: () => {
        renders++;
        throw new TypeError('renderer fault');
      },
    });
    // The per-process pacer: a slot reserved and not given back would hold the conversation.
    const pacer = (worker as unknown as { slots: { pacer: { release(id: string, at: number): void } } }).slots.pacer;
    const release = pacer.release.bind(pacer);
    pacer.release = (id, at) => {
      released.push(id);
      release(id, at);
    };
    await store.accept(roleEvent('unrenderable'));
    worker.start();
    await eventually(async () => (await store.get('unrenderable'))?.state !== 'queued', 'the event settled');
    assert.equal(renders, 1);
    assert.deepEqual(released, ['a:personal']);
  });
});

describe('notification delivery of a category event whose card cannot be rendered', () => {
  const session = deliverySession();

  // A category event's card is rendered after its send claim, for its hand-over to the channels:
  // a render that throws gives that claim back, as a direct event's does, so the claim does not
  // run out and count as a send attempt on the next pass.
  it('gives its claim back: no attempt is counted, and it is set aside at the cap', async () => {
    const log = recordingLogger();
    let renders = 0;
    let publishes = 0;
    const instance = await session.instance(connector().send, {
      logger: log.logger,
      leaseMs: LEASE_MS,
      alerts: {
        rows: { owns: () => false, handle: async () => undefined, setAside: async () => undefined },
        publish: async () => {
          publishes++;
        },
      },
      render: () => {
        renders++;
        throw new TypeError('renderer fault');
      },
    });
    const parsed = parseEvent({
      eventId: 'fanned',
      kind: 'roleRequest',
      target: { category: 'roleRequests' },
      requestId: REQUEST,
    });
    assert.ok(parsed.ok);
    const { store, state } = instance;
    await store.accept(parsed.event);
    await passesUntilSettled(session, instance, store, 'fanned');
    const record = await store.get('fanned');
    assert.equal(record?.state, 'undeliverable');
    assert.match(record?.reason ?? '', new RegExp(`failed while handling this event, ${MAX_ROW_LEASES} times`));
    assert.equal(record?.attempts, 0, 'nothing was handed over, so no send attempt is counted');
    assert.equal(renders, MAX_ROW_LEASES, 'rendered once per lease until the cap');
    assert.equal(publishes, 0);
    assert.equal(log.lines.filter((l) => l.event === 'notification.deadLetter').length, 1);
    await eventually(async () => (await state.outbox.size()) === 0, 'the row removed');
  });
});
