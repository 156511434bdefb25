// A channel alert's outbox row whose handling throws on every pass (a fault in the bot for this one
// alert, here a store read that throws for one key) is set aside on its maxRowLeases-th lease, as a
// direct notification's row is (poisonRow.ts), and the way the fan-out already gives up on a
// channel: the channel's delivery dead-lettered with a reason that carries no error text, which
// GET /api/notifications/{eventId} reports for that channel; the row removed; one line at error
// level naming the event and the channel, with no stack. Before, such a row came back after every
// lease for ever, and GET reported the event queued for ever. The count is the row's leases
// (SQLite's attempt count; Queue Storage's dequeueCount,
// https://learn.microsoft.com/en-us/rest/api/storageservices/get-messages), judged only when a pass
// threw.

import { strict as assert } from 'node:assert';
import { createAlerts } from '../../src/notifications/alertsSetup';
import { parseEvent } from '../../src/notifications/events';
import { fanoutState } from '../../src/notifications/fanoutStatus';
import { CardBindings } from '../../src/state/cardBindings';
import { Records, StateUnavailableError, WorkQueue } from '../../src/state/port';
import { connector, deliverySession, eventually } from '../fixtures/deliverySession';
import { recordingLogger } from '../fixtures/recordingLogger';

const TEAM = '19:team@thread.tacv2';
const CH_A = '19:ops-a@thread.tacv2';
const CH_B = '19:ops-b@thread.tacv2';
const LEASES = 3;
/** What an unexpected fault says: a file path the sender must never see. */
const FAULT = "Cannot read properties of undefined (reading 'id') at /srv/app/dist/x.js:1";

function categoryEvent(eventId: string) {
  const parsed = parseEvent({
    eventId,
    kind: 'roleRequest',
    target: { category: 'roleRequests' },
    requestId: '95c690fb-3eb3-4942-a03f-4524aed6f31e',
  });
  assert.ok(parsed.ok);
  return parsed.event;
}

type Outbox = WorkQueue<{ readonly eventId: string }>;

/** Every call passed through, but `name(key)` rejects with `fault(key)` when that is not null. */
function failing<T extends object>(target: T, name: string, fault: (key: string) => Error | null): T {
  return new Proxy(target, {
    get(t, prop) {
      const value: unknown = Reflect.get(t, prop);
      if (typeof value !== 'function') return value;
      if (prop !== name) return value.bind(t);
      return (key: string, ...rest: unknown[]) => {
        const e = fault(key);
        return e ? Promise.reject(e) : (value as (...a: unknown[]) => unknown).apply(t, [key, ...rest]);
      };
    },
  });
}

describe('channel alerts: a row that fails on every pass (SQLite)', () => {
  const session = deliverySession();

  async function setUp(faults: {
    records?: (key: string) => Error | null;
    enqueue?: (id: string) => Error | null;
    /** Rejects a write of a record, not storing it, when it returns an error. */
    replaced?: (key: string, value: unknown) => Error | null;
  }) {
    const log = recordingLogger();
    const { send, sent } = connector();
    let alerts!: ReturnType<typeof createAlerts>;
    const i = await session.instance(send, (state) => {
      const read: Records = faults.records ? failing(state.records, 'get', faults.records) : state.records;
      const replaced = faults.replaced;
      const records: Records = replaced
        ? {
            get: (k) => read.get(k),
            create: (k, v, o) => read.create(k, v, o),
            put: (k, v, o) => read.put(k, v, o),
            delete: (k, v) => read.delete(k, v),
            replace: (k, v, version, o) => {
              const e = replaced(k, v);
              return e ? Promise.reject(e) : read.replace(k, v, version, o);
            },
          }
        : read;
      const outbox: Outbox = faults.enqueue ? failing(state.outbox, 'enqueue', faults.enqueue) : state.outbox;
      alerts = createAlerts({
        state: { records, outbox },
        bindings: new CardBindings(state.records),
        send,
        logger: log.logger,
        owner: 'i1',
        tenantId: 't',
        servedTenant: null,
        now: () => Date.now() + session.offset,
        marginMs: 0,
      });
      // A lease long enough that a pass slowed by a loaded machine never outlives it: with 20 ms, a
      // second lease of the same row began while the first pass still ran, and both set it aside.
      return { logger: log.logger, leaseMs: 250, maxRowLeases: LEASES, alerts: alerts.workerHook };
    });
    await alerts.subscriptions.setTeamChannels(TEAM, [
      { id: CH_A, name: 'A' },
      { id: CH_B, name: 'B' },
    ]);
    await alerts.reach.rememberTeam(TEAM, {
      serviceUrl: 'https://smba.test/',
      channelId: 'msteams',
      conversation: { id: TEAM, tenantId: 't' },
    });
    for (const channelId of [CH_A, CH_B])
      await alerts.subscriptions.setCategory({ teamId: TEAM, channelId }, 'roleRequests', true, {
        userId: 'o',
        correlationId: 'c',
      });
    return { ...i, alerts, log, sent };
  }

  it('dead-letters the channel whose post fails on every pass, and posts in the others', async () => {
    // The channel's record fails only once its delivery is queued: the fan-out reads it too.
    let armed = false;
    let lookups = 0;
    const i = await setUp({
      records: (key) => (armed && key === `alerts:channel:${CH_B}` && ++lookups > 0 ? new TypeError(FAULT) : null),
      enqueue: (id) => {
        if (id.endsWith(`ev:${CH_B}`)) armed = true;
        return null;
      },
    });
    await i.store.accept(categoryEvent('ev'));
    i.worker.start();
    await eventually(async () => (await i.alerts.ledger.get(`ev:${CH_B}`))?.state === 'deadLetter', 'B dead-lettered');
    await eventually(async () => (await i.alerts.ledger.get(`ev:${CH_A}`))?.state === 'delivered', 'A delivered');
    await eventually(async () => (await i.state.outbox.size()) === 0, 'every row removed');
    assert.equal(lookups, LEASES, 'one pass per lease until the cap');
    assert.deepEqual(i.sent, [CH_A]);
    const channels = await i.alerts.channels('ev', await i.store.get('ev'));
    assert.ok(channels);
    assert.equal(fanoutState(channels), 'partial');
    const b = channels.find((c) => c.channelId === CH_B);
    assert.equal(b?.state, 'deadLetter');
    assert.match(b?.reason ?? '', new RegExp(`failed while posting this alert here, ${LEASES} times`));
    assert.doesNotMatch(b?.reason ?? '', /TypeError|Cannot read|\/srv|\.js/, 'no error text for the sender');
    const dead = i.log.lines.filter((l) => l.event === 'alerts.deadLetter');
    assert.equal(dead.length, 1);
    assert.equal(dead[0]!.level, 'error');
    assert.equal(dead[0]!.eventId, 'ev');
    assert.equal(dead[0]!.channelId, CH_B);
    assert.equal(dead[0]!.leases, LEASES);
    assert.equal(dead[0]!.err, undefined, 'no stack in the dead-letter line');
  });

  it('never dead-letters a channel whose card its failed pass posted: the post is recorded on the next pass', async () => {
    // B's channel record fails to read until the last lease, whose pass posts; the write of its
    // `delivered` outcome then fails once. The card is in the channel: setting the row aside must
    // not report B dead-lettered. The pass's claim is live (a send began under it), so the row
    // waits for its next pass, which records the post it remembered (rememberedPosts.ts).
    let armed = false;
    let lookups = 0;
    let lost = false;
    const i = await setUp({
      records: (key) => (armed && key === `alerts:channel:${CH_B}` && ++lookups < LEASES ? new TypeError(FAULT) : null),
      enqueue: (id) => {
        if (id.endsWith(`ev5:${CH_B}`)) armed = true;
        return null;
      },
      replaced: (key, value) => {
        if (lost || key !== `alerts:delivery:ev5:${CH_B}` || (value as { state?: string }).state !== 'delivered')
          return null;
        lost = true;
        // Its text is what an unexpected fault says (not StateUnavailableError, which never sets aside).
        return new TypeError(FAULT);
      },
    });
    await i.store.accept(categoryEvent('ev5'));
    i.worker.start();
    await eventually(async () => (await i.state.outbox.size()) === 0, 'every row removed');
    assert.ok(lost, 'the write of the post failed on the last lease');
    assert.deepEqual(i.sent.sort(), [CH_A, CH_B].sort(), 'posted once in each channel');
    assert.equal((await i.alerts.ledger.get(`ev5:${CH_B}`))?.state, 'delivered');
    assert.ok(!i.log.events().includes('alerts.deadLetter'), 'nothing set aside');
  });

  // A remembered post holds its row back for a day, not for ever (rememberedPosts.ts, as for a
  // direct row: unit/delivery.poisonRemembered.test.ts). A `delivered` write that fails on every
  // pass would otherwise keep the row coming back and the channel's delivery open for ever.
  it('dead-letters a channel whose posted card cannot be recorded for a day, and posts it once', async () => {
    const i = await setUp({
      replaced: (key, value) =>
        key === `alerts:delivery:ev6:${CH_B}` && (value as { state?: string }).state === 'delivered'
          ? new TypeError(FAULT)
          : null,
    });
    await i.store.accept(categoryEvent('ev6'));
    // Passes worked by hand, as the worker's loop runs them (through the set-aside judge), each
    // until no row is due; between them the clock moves past the leases and the send's claim.
    const loop = (i.worker as unknown as { loop: { opts: { handle(r: unknown, s: AbortSignal): Promise<void> } } })
      .loop;
    const pass = async (advanceMs = 60_001) => {
      session.offset += advanceMs;
      for (let row = await i.state.outbox.lease(60_000); row; row = await i.state.outbox.lease(60_000))
        await loop.opts.handle(row, new AbortController().signal).catch(() => undefined);
    };
    const deferrals = () => i.log.lines.filter((l) => l.event === 'alerts.deadLetter.deferred').length;
    await pass(0); // the fan-out, A posted, B posted and its `delivered` not written
    await pass();
    await pass(); // B's third lease: poison, and deferred (the post is remembered)
    assert.equal(deferrals(), 1);
    await pass(23 * 3_600_000); // still within the day: deferred again
    assert.equal(deferrals(), 2);
    assert.notEqual((await i.alerts.ledger.get(`ev6:${CH_B}`))?.state, 'deadLetter');
    assert.ok(!i.log.events().includes('alerts.deadLetter'));

    await pass(3_600_000); // the post is a day old: let go, and the row is set aside
    assert.equal(deferrals(), 2, 'not deferred once the post is let go');
    assert.equal((await i.alerts.ledger.get(`ev6:${CH_B}`))?.state, 'deadLetter');
    assert.equal(await i.state.outbox.size(), 0, 'every row removed');
    assert.deepEqual(i.sent.sort(), [CH_A, CH_B].sort(), 'posted once in each channel');
    assert.equal((await i.alerts.ledger.get(`ev6:${CH_A}`))?.state, 'delivered');
    const dead = i.log.lines.filter((l) => l.event === 'alerts.deadLetter');
    assert.deepEqual(
      dead.map((l) => [l.level, l.channelId, l.settled]),
      [['error', CH_B, true]],
    );
  });

  it('dead-letters the channel a fan-out that fails on every pass could not queue', async () => {
    const i = await setUp({ enqueue: (id) => (id.endsWith(`ev3:${CH_B}`) ? new TypeError(FAULT) : null) });
    await i.store.accept(categoryEvent('ev3'));
    i.worker.start();
    await eventually(async () => (await i.alerts.ledger.get(`ev3:${CH_B}`))?.state === 'deadLetter', 'B dead-lettered');
    await eventually(async () => (await i.state.outbox.size()) === 0, 'every row removed');
    assert.deepEqual(i.sent, [CH_A]);
    const channels = await i.alerts.channels('ev3', await i.store.get('ev3'));
    assert.ok(channels);
    assert.equal(fanoutState(channels), 'partial');
    assert.match(
      channels.find((c) => c.channelId === CH_B)?.reason ?? '',
      new RegExp(`failed while handing this alert to its channels, ${LEASES} times`),
    );
    const dead = i.log.lines.filter((l) => l.event === 'alerts.deadLetter');
    assert.deepEqual(
      dead.map((l) => [l.level, l.eventId, l.deadLetteredChannels, l.err]),
      [['error', 'ev3', 1, undefined]],
    );
  });

  it('writes the event undeliverable when its fan-out fails on every pass before any channel is planned', async () => {
    let armed = false;
    const i = await setUp({
      records: (key) => (armed && key === 'alerts:category:roleRequests' ? new TypeError(FAULT) : null),
    });
    armed = true;
    await i.store.accept(categoryEvent('ev2'));
    i.worker.start();
    await eventually(async () => (await i.store.get('ev2'))?.state === 'undeliverable', 'the event settled');
    await eventually(async () => (await i.state.outbox.size()) === 0, 'every row removed');
    const record = await i.store.get('ev2');
    assert.match(record?.reason ?? '', new RegExp(`failed while handing this alert to its channels, ${LEASES} times`));
    assert.doesNotMatch(record?.reason ?? '', /TypeError|Cannot read|\/srv|\.js/);
    assert.equal(await i.alerts.channels('ev2', record), null, 'no channel was planned');
    assert.deepEqual(i.sent, []);
    const dead = i.log.lines.filter((l) => l.event === 'alerts.deadLetter');
    assert.deepEqual(
      dead.map((l) => [l.level, l.eventId, l.planned, l.settled, l.err]),
      [['error', 'ev2', false, true, undefined]],
    );
  });

  it('never dead-letters a channel for a store that is out, however often its row comes back', async () => {
    let armed = false;
    let outages = 0;
    const i = await setUp({
      records: (key) =>
        armed && key === `alerts:channel:${CH_B}` && outages++ < 2 * LEASES
          ? new StateUnavailableError('state store: read failed (SQLITE_BUSY)')
          : null,
    });
    armed = true;
    await i.store.accept(categoryEvent('ev4'));
    i.worker.start();
    await eventually(async () => (await i.alerts.ledger.get(`ev4:${CH_B}`))?.state === 'delivered', 'B delivered');
    assert.ok(!i.log.events().includes('alerts.deadLetter'));
  });
});
