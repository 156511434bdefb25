// A card Teams accepted whose outcome could not be written: the instance remembers the post, so
// when the row comes back (its lease expired) the outcome is written from memory and the card is
// not posted again, also after another instance took the row over and posted nothing; the memory
// is let go once the record is settled, whoever wrote it, or is of a later acceptance of the same
// id. A card whose binding (what makes its buttons work) could not be stored keeps its row until
// it is, the waits counted from the post.

import { strict as assert } from 'node:assert';
import { CardBindings } from '../../src/state/cardBindings';
import { EVENT_RETENTION_MS } from '../../src/notifications/eventRetention';
import { StateUnavailableError } from '../../src/state/port';
import { BIND_RETRY_FIRST_MS } from '../../src/notifications/boundRow';
import { OUTCOME_WRITE_TRIES } from '../../src/notifications/outcomeWrite';
import {
  connector,
  deliverySession,
  eventually,
  failNextFinish,
  handleNextRow,
  observeReleases,
  roleEvent,
  teamsError,
} from '../fixtures/deliverySession';

// Long enough that the row never comes back by itself while a test looks; the tests move the clock.
const LEASE_MS = 60_000;
const DAY_MS = 24 * 3_600_000;
const HOUR_MS = 3_600_000;

describe('notification delivery: a post whose outcome could not be written', () => {
  const session = deliverySession();
  const { instance } = session;
  /** The test's clock: an acceptance a month later is accepted a month later. */
  const sessionNow = (): Date => new Date(Date.now() + session.offset);

  it('writes the outcome on the next pass from the post it remembers, without posting again', async () => {
    const c = connector();
    const { store, state, worker } = await instance(c.send, { leaseMs: LEASE_MS, outcomeRetryMs: () => 1 });
    // Every write of this handling fails: the store is out for longer than it tries.
    failNextFinish(store, 'before', OUTCOME_WRITE_TRIES);
    await store.accept(roleEvent('e1'));
    worker.start();
    await eventually(() => c.sent.length === 1, 'the post');
    assert.equal((await store.get('e1'))?.state, 'queued', 'the outcome was not written');
    session.offset += LEASE_MS + 1;
    worker.kick();
    await eventually(async () => (await store.get('e1'))?.state === 'delivered', 'the outcome');
    assert.equal((await store.get('e1'))?.activityId, 'activity-1');
    assert.equal(c.sent.length, 1, 'posted once');
    assert.equal(worker['unrecorded'].size, 0);
    // The card is recorded after its outcome: the pass that wrote the outcome bound it too.
    await eventually(async () => (await state.outbox.size()) === 0, 'the row completed');
    assert.ok(await new CardBindings(state.records).itemsOf('a:personal', 'activity-1'), 'the card is bound');
  });

  it('forgets the post when the row comes back with its record already settled', async () => {
    // A write can be stored and still fail to answer (a timeout after the commit): the record is
    // then delivered when the row comes back, and nothing is left to write from memory.
    const c = connector();
    const { store, state, worker } = await instance(c.send, { leaseMs: LEASE_MS });
    failNextFinish(store, 'after');
    await store.accept(roleEvent('e1'));
    worker.start();
    await eventually(async () => (await store.get('e1'))?.state === 'delivered', 'the stored outcome');
    session.offset += LEASE_MS + 1;
    worker.kick();
    await eventually(async () => (await state.outbox.size()) === 0, 'the row completed');
    assert.equal(c.sent.length, 1, 'posted once');
    assert.equal(worker['unrecorded'].size, 0, 'the remembered post is let go');
  });

  it('keeps the row of a card whose binding could not be stored, and binds it on a later pass without posting again', async () => {
    const c = connector();
    let failures = 1;
    const rowEnds: string[] = [];
    const { store, state, worker } = await instance(c.send, (s) => {
      const { complete, release } = s.outbox;
      s.outbox.complete = (lease) => (rowEnds.push('completed'), complete.call(s.outbox, lease));
      s.outbox.release = (lease, ms) => (rowEnds.push('given back'), release.call(s.outbox, lease, ms));
      const bindings = new CardBindings(s.records);
      const bind = bindings.bind.bind(bindings);
      bindings.bind = async (...args) => {
        if (failures-- > 0) throw new StateUnavailableError('state store: write failed (SQLITE_IOERR)');
        return bind(...args);
      };
      return { bindings, leaseMs: LEASE_MS };
    });
    await store.accept(roleEvent('e1'));
    worker.start();
    await eventually(async () => (await store.get('e1'))?.state === 'delivered', 'the outcome');
    await eventually(() => rowEnds.length === 1, 'the row handled');
    assert.deepEqual(rowEnds, ['given back'], 'the row is kept while the card is unbound');
    assert.equal(await new CardBindings(state.records).itemsOf('a:personal', 'activity-1'), null);
    session.offset += 5_001; // the first wait before binding again
    worker.kick();
    await eventually(() => rowEnds.length === 2, 'the row handled again');
    assert.deepEqual(rowEnds, ['given back', 'completed']);
    assert.ok(await new CardBindings(state.records).itemsOf('a:personal', 'activity-1'), 'the card is bound');
    assert.equal(c.sent.length, 1, 'posted once');
  });

  it('a post remembered for an event is not the one of the same id accepted again after its retention: that one is sent, and its record names its own card', async () => {
    const c = connector();
    const a = await instance(c.send, { leaseMs: LEASE_MS, outcomeRetryMs: () => 1 });
    const b = await instance(c.send, { leaseMs: LEASE_MS });
    // Instance A's first outcome write is stored, then its answer is lost, and so are the answers
    // of the writes it tries again.
    failNextFinish(a.store, 'after', OUTCOME_WRITE_TRIES);
    const handle = (i: typeof a) => () => handleNextRow(i, LEASE_MS);

    assert.equal(await a.store.accept(roleEvent('e1'), sessionNow()), 'created');
    await handle(a)(); // sent; the outcome is stored but its write fails to answer
    assert.equal(c.sent.length, 1);
    assert.equal((await a.store.get('e1'))?.activityId, 'activity-1');
    // The row's lease runs out and instance B takes it: settled, it completes it.
    session.offset += LEASE_MS + 1;
    await handle(b)();
    assert.equal(await a.state.outbox.size(), 0);

    // Past the retention the record is swept; the sender posts e1 again: a new event.
    session.offset += EVENT_RETENTION_MS + DAY_MS;
    await a.state.sweepExpired();
    assert.equal(await a.store.accept(roleEvent('e1'), sessionNow()), 'created');
    await handle(a)();

    assert.equal(c.sent.length, 2, 'the new event is sent');
    const record = await a.store.get('e1');
    assert.equal(record?.state, 'delivered');
    assert.equal(record?.activityId, 'activity-2', 'its record names its own card');
  });

  it('a remembered post is written as the outcome when its row comes back after a takeover that posted nothing (a 429), not posted a second time', async () => {
    const a = connector();
    const b = connector([teamsError(429, '1')]);
    const A = await instance(a.send, { leaseMs: LEASE_MS, outcomeRetryMs: () => 1 });
    const B = await instance(b.send, { leaseMs: LEASE_MS });
    // A's outcome writes fail before they are stored, as often as its handling tries.
    failNextFinish(A.store, 'before', OUTCOME_WRITE_TRIES);
    const handle = (i: typeof A) => () => handleNextRow(i, LEASE_MS);

    assert.equal(await A.store.accept(roleEvent('e1')), 'created');
    await handle(A)(); // posted (activity-1); the outcome write fails; A remembers the post
    assert.equal(a.sent.length, 1);
    assert.equal((await A.store.get('e1'))?.state, 'queued');

    // The row's lease and A's claim run out; B takes the row, claims, and is answered 429: nothing
    // posted, and its retryLater ends its claim.
    session.offset += LEASE_MS + 1;
    await handle(B)();
    assert.equal(b.sent.length, 0, 'B posted nothing');
    assert.equal((await A.store.get('e1'))?.sending, undefined, 'no claim on the record now');

    // The row comes back to A after B's wait.
    session.offset += 2_000;
    await handle(A)();

    assert.equal(a.sent.length + b.sent.length, 1, 'the card is in the chat once');
    const record = await A.store.get('e1');
    assert.equal(record?.state, 'delivered');
    assert.equal(record?.activityId, 'activity-1', 'the record names the card that was posted');
  });

  it('binds a posted card again 5 s after its binding failed, however many times its row was leased before the post', async () => {
    const c = connector([teamsError(503)]); // the first try fails and is retried; the second posts
    let delays: number[] = [];
    let releasesBeforeBinding: number | null = null;
    const { store, worker } = await instance(c.send, (s) => {
      delays = observeReleases(s);
      const bindings = new CardBindings(s.records);
      bindings.bind = async () => {
        releasesBeforeBinding ??= delays.length; // the retry, and any wait for it, came before
        throw new StateUnavailableError('state store: write failed (SQLITE_IOERR)');
      };
      return { bindings, leaseMs: 60_000 };
    });
    await store.accept(roleEvent('e1'));
    worker.start();
    await eventually(() => releasesBeforeBinding !== null && delays.length > releasesBeforeBinding, 'the row kept');
    assert.ok(releasesBeforeBinding! >= 1, 'the row was given back before the post (the 503)');
    assert.equal(c.sent.length, 1, 'posted once');
    assert.equal(delays[releasesBeforeBinding!], BIND_RETRY_FIRST_MS, 'taken again after 5 s');
  });

  it('lets the row of an unbound card settled by an earlier release (no settledAt) go within days, not every 5 s until its record expires', async () => {
    const c = connector();
    let delays: number[] = [];
    const { store, state, worker } = await instance(c.send, (s) => {
      delays = observeReleases(s);
      const bindings = new CardBindings(s.records);
      bindings.bind = async () => {
        throw new StateUnavailableError('state store: write failed (SQLITE_IOERR)');
      };
      return { bindings, leaseMs: LEASE_MS };
    });
    // A record settled before settledAt existed (finish called without a time, as the release
    // before this one did), its card never bound, its row still in the outbox.
    await store.accept(roleEvent('e1'));
    assert.equal(
      await store.finish('e1', { state: 'delivered', activityId: 'activity-1', conversationId: 'a:personal' }, 1),
      true,
    );
    assert.equal((await store.get('e1'))?.settledAt, undefined);

    const handle = () => handleNextRow({ state, worker }, LEASE_MS, false);
    // Passes spread over three days, each after the row's wait.
    for (let pass = 0; pass < 4 && (await state.outbox.size()) > 0; pass++) {
      await handle();
      session.offset += 25 * HOUR_MS;
    }

    assert.equal(c.sent.length, 0, 'nothing posted');
    assert.equal(
      await state.outbox.size(),
      0,
      `the row is let go after three days of failed bindings (its waits: ${delays.join(', ')} ms)`,
    );
  });
});
