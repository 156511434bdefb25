// The daily digest counts an event sent to a category on the UTC day it was accepted, not the day
// the outbox worker got to it: an event accepted at 23:59:59 and published after midnight belongs
// to the day that ended, whose digest goes out the next morning. SQLite state, the delivery worker
// and the channel alerts wired as in the app, on a clock the test sets.

import { strict as assert } from 'node:assert';
import { itemCard } from '../../src/bot/replyCards';
import { dayOf } from '../../src/alerts/digest';
import { waitingKeyOf } from '../../src/alerts/waitingKey';
import { createLogger } from '../../src/log';
import { Alerts, createAlerts } from '../../src/notifications/alertsSetup';
import { parseEvent } from '../../src/notifications/events';
import { CardBindings } from '../../src/state/cardBindings';
import { connector, deliverySession, eventually, REQUEST } from '../fixtures/deliverySession';

describe('digest: the day an event is counted on', () => {
  const session = deliverySession();

  /** Accepts a category event at `acceptedAt`, lets the worker publish it at `processedAt`, and
   * reads the digest of both days. */
  async function countedDays(acceptedAt: number, processedAt: number) {
    const clock = () => Date.now() + session.offset;
    let wired: Alerts | undefined;
    const { store, state, worker } = await session.instance(connector().send, (s) => {
      wired = createAlerts({
        state: { records: s.records, outbox: s.outbox },
        bindings: new CardBindings(s.records),
        send: async () => 'activity-1',
        logger: createLogger({ level: 'silent' }),
        owner: 'instance-1',
        tenantId: 'tenant-1',
        servedTenant: null,
        now: clock,
        marginMs: 0,
      });
      return {
        render: (event) => itemCard(event.item, { text: event.text, settled: false }),
        alerts: wired.workerHook,
        channelReference: wired.channelReference,
      };
    });
    const parsed = parseEvent({
      eventId: 'pim-late',
      kind: 'roleRequest',
      target: { category: 'roleRequests' },
      requestId: REQUEST,
      roleName: 'Global Administrator',
    });
    assert.ok(parsed.ok);
    session.offset = acceptedAt - Date.now();
    assert.equal(await store.accept(parsed.event, new Date(acceptedAt)), 'created');
    session.offset = processedAt - Date.now();
    worker.start();
    await eventually(async () => (await store.get('pim-late'))?.publishedAt !== undefined, 'published');
    await eventually(async () => (await state.outbox.size()) === 0, 'fan-out done');
    assert.notEqual(dayOf(clock()), dayOf(acceptedAt), 'processed on the next day');
    const accepted = await wired!.digest.read(dayOf(acceptedAt));
    const processed = await wired!.digest.read(dayOf(clock()));
    const key = waitingKeyOf({ operation: 'cancelRoleRequest', ids: { requestId: REQUEST } });
    return {
      acceptedDay: accepted.day.counts.roleRequests?.announced ?? 0,
      processedDay: processed.day.counts.roleRequests?.announced ?? 0,
      waitingSince: processed.waiting.find((w) => w.key === key)?.since,
    };
  }

  const acceptedAt = Date.UTC(2026, 2, 4, 23, 59, 59);

  it('is the day it was accepted, when it is published after midnight', async () => {
    // The worker gets to it two seconds into the next day. It has waited since it was accepted,
    // too (its age on the digest, its PIM lapse 24 h later).
    assert.deepEqual(await countedDays(acceptedAt, acceptedAt + 2_000), {
      acceptedDay: 1,
      processedDay: 0,
      waitingSince: acceptedAt,
    });
  });

  it("is the day it is published, when the accepted day's digest may have gone out already", async () => {
    // The outbox got to it only at 08:00 the next day (after an outage): yesterday's digest went
    // out at 07:00, so counting it there would leave it out of every digest.
    const processedAt = Date.UTC(2026, 2, 5, 8, 0, 0);
    assert.deepEqual(await countedDays(acceptedAt, processedAt), {
      acceptedDay: 0,
      processedDay: 1,
      waitingSince: acceptedAt,
    });
  });
});
