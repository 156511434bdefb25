// A direct notification whose card cannot be rendered (a fault in the bot for this one event, not
// an answer from Teams) is set aside as every pass that fails in the bot is: after MAX_ROW_LEASES
// leases, undeliverable with "Governance Bot failed while handling this event, …", logged as
// notification.deadLetter. Before, the card was rendered inside the send's try: the throw was read
// as "Teams gave no answer", counted as a send attempt and retried, and after maxAttempts the event
// was settled "Teams did not accept the card after N attempts (last: no answer in time)", which
// blamed Teams for what never reached it. The send slot the pass took is given back unused.

import { strict as assert } from 'node:assert';
import { MAX_ROW_LEASES } from '../../src/notifications/poisonRow';
import { connector, deliverySession, eventually, roleEvent } from '../fixtures/deliverySession';
import { recordingLogger } from '../fixtures/recordingLogger';

describe('notification delivery of a card that cannot be rendered', () => {
  const session = deliverySession();

  it('sets the event aside as a fault of the bot, not as sends Teams did not answer', async () => {
    const log = recordingLogger();
    const c = connector();
    let renders = 0;
    const { store, state, worker } = await session.instance(c.send, {
      logger: log.logger,
      leaseMs: 20,
      maxAttempts: 3,
      render: () => {
        renders++;
        throw new TypeError("Cannot read properties of undefined (reading 'title') at /srv/app/dist/cards.js:1");
      },
    });
    await store.accept(roleEvent('unrenderable'));
    worker.start();
    await eventually(async () => (await store.get('unrenderable'))?.state !== 'queued', 'the event settled');
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
