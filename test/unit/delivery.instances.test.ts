// Delivery workers as instances of the bot live and stop: two instances on one database file send
// a card once, even while one waits out a Retry-After as the other starts, and stop() lets the send
// under way finish, takes no new rows, and aborts a send that outlives its deadline, giving its row back.
// Teams' throttling guidance: https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit

import { strict as assert } from 'node:assert';
import { SendCard } from '../../src/notifications/delivery';
import {
  deliverySession,
  eventually,
  observeLeases,
  observeReleases,
  roleEvent,
  teamsError,
} from '../fixtures/deliverySession';

describe('notification delivery', () => {
  const session = deliverySession();
  const { instance } = session;

  it('two instances on one database, one waiting out Retry-After while the other starts, send the card once', async () => {
    // Issue 7.8: an instance starting while another waits out a Retry-After must not take the
    // event without a lease. Both instances here share the database file, as two processes do.
    const successes: string[] = [];
    let first = true;
    const send: SendCard = async () => {
      if (first) {
        first = false;
        throw teamsError(429, '5');
      }
      successes.push('sent');
      return `activity-${successes.length}`;
    };
    const a = await instance(send);
    const released = observeReleases(a.state);
    await a.store.accept(roleEvent('e1'));
    a.worker.start();
    await eventually(() => released.length === 1, 'the throttled attempt');
    const b = await instance(send);
    const polls = observeLeases(b.state);
    b.worker.start();
    // B polls while the row waits out Retry-After: nothing is due, so nothing is sent.
    await eventually(() => polls.length >= 5, 'B polling');
    assert.deepEqual(polls.slice(0, 5), [false, false, false, false, false]);
    assert.equal(successes.length, 0);
    session.offset += 5000;
    a.worker.kick();
    b.worker.kick();
    await eventually(async () => (await a.store.get('e1'))?.state === 'delivered', 'delivery');
    await a.worker.stop(1000);
    await b.worker.stop(1000);
    assert.equal(successes.length, 1, 'the card was sent once');
    assert.equal(await a.state.outbox.size(), 0);
  });

  it('stop() lets the send under way finish, then takes no new rows', async () => {
    let release!: (id: string) => void;
    const started: string[] = [];
    const send: SendCard = (reference) => {
      started.push(reference.conversation?.id ?? '');
      return new Promise((r) => (release = r));
    };
    const { store, state, worker } = await instance(send);
    await store.accept(roleEvent('e1'));
    worker.start();
    await eventually(() => started.length === 1, 'the send to start');
    await store.accept(roleEvent('e2'));
    const stopped = worker.stop(5000);
    release('activity-1');
    await stopped;
    assert.equal((await store.get('e1'))?.state, 'delivered');
    assert.equal((await store.get('e2'))?.state, 'queued', 'left for the next instance');
    assert.equal(await state.outbox.size(), 1);
    assert.equal(started.length, 1);
  });

  it('stop() aborts a send that outlives the deadline, lets go of its claim, then gives its row back', async () => {
    let aborted = false;
    let started = false;
    const send: SendCard = (_r, _c, signal) =>
      new Promise((_, reject) => {
        started = true;
        signal.addEventListener('abort', () => {
          aborted = true;
          reject(signal.reason);
        });
      });
    const { store, state, worker } = await instance(send);
    // What the event's record says at the moment its row becomes visible again: an event still
    // claimed then would make the next instance wait for the claim to lapse (60 s).
    const claimedAtRelease: boolean[] = [];
    const release = state.outbox.release.bind(state.outbox);
    state.outbox.release = async (lease, delayMs) => {
      claimedAtRelease.push((await store.get('e1'))?.sending !== undefined);
      return release(lease, delayMs);
    };
    await store.accept(roleEvent('e1'));
    worker.start();
    await eventually(() => started, 'the send to start');
    await worker.stop(20);
    assert.ok(aborted);
    assert.equal((await store.get('e1'))?.state, 'queued');
    assert.deepEqual(claimedAtRelease, [false], 'the claim was let go before the row was given back');
    assert.ok(await state.outbox.lease(1000), 'the row is due again at once');
  });
});
