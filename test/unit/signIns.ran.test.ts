// A waiting sign-in whose command was taken to run (src/state/signIns.ts take and finish) leaves a
// record in the shared state, per pending id and for as long as a sign-in may wait, so that the
// user's other clients (Teams sends the card to each of them:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code)
// hear "it ran" rather than "send it again". Found under the first card's id and the id of a card
// sent again for it (moveTo), on another instance; never for a sign-in that is gone without running.

import { strict as assert } from 'node:assert';
import type { PendingSignIns } from '../../src/state/signIns';
import { twoInstanceSignIns } from '../fixtures/twoInstanceSignIns';

const ALICE = 'Alice';
const BOB = 'Bob';
const TTL_MS = 15 * 60_000;

describe('the record that a waiting sign-in’s command ran', () => {
  const signIns = twoInstanceSignIns({ ttlMs: TTL_MS });
  let here: PendingSignIns<string>;
  let there: PendingSignIns<string>;
  beforeEach(() => {
    ({ here, there } = signIns);
  });

  it('an exchange that ran it under the card sent again: both cards’ ids tell, on another instance, for a bounded time', async () => {
    await here.add('first', ALICE, 'cancel it');
    assert.ok(await here.moveTo('first', 'again', ALICE));
    assert.equal(await there.ran('first', ALICE), false, 'waiting, not ran');
    assert.ok(await here.lease('again', ALICE, 'exchange-a', 60_000));
    assert.ok(await here.finish('again', 'exchange-a'));
    assert.equal(await there.ran('first', ALICE), true);
    assert.equal(await there.ran('again', ALICE), true);
    signIns.now += TTL_MS + 1;
    assert.equal(await there.ran('first', ALICE), false, 'forgotten once a sign-in could no longer wait');
  });

  it('a verifyState that took it: tells; a sign-in gone without running (a sign out, never known) does not', async () => {
    await here.add('taken', ALICE, 'cancel it');
    assert.equal((await here.take('taken')).entry?.payload, 'cancel it');
    assert.equal(await there.ran('taken', ALICE), true);
    await here.add('forgotten', ALICE, 'approve it');
    await here.forgetUser(ALICE);
    assert.equal(await there.ran('forgotten', ALICE), false);
    assert.equal(await there.ran('never', ALICE), false);
    // An exchange that found it gone (taken) runs nothing and changes nothing.
    assert.equal(await there.finish('forgotten', 'exchange-b'), false);
    assert.equal(await there.ran('forgotten', ALICE), false);
  });

  it('tells only the user whose sign-in it was; through a card sent again too', async () => {
    await here.add('hers', ALICE, 'cancel it');
    assert.equal((await here.take('hers')).entry?.payload, 'cancel it');
    assert.equal(await there.ran('hers', BOB), false, 'not Bob’s sign-in');
    assert.deepEqual(await there.takeFor('hers', BOB, () => true), { entry: null, ran: false });
    assert.equal(await there.ran('hers', ALICE.toLowerCase()), true);
    assert.deepEqual(await there.takeFor('hers', ALICE, () => true), { entry: null, ran: true });
    // Through a card sent again, after a token exchange: the same.
    await here.add('moved', ALICE, 'approve it');
    assert.ok(await here.moveTo('moved', 'moved-again', ALICE));
    assert.ok(await here.lease('moved-again', ALICE, 'exchange-a', 60_000));
    assert.ok(await here.finish('moved-again', 'exchange-a'));
    assert.equal(await there.ran('moved', BOB), false);
    assert.equal(await there.ran('moved-again', ALICE), true);
  });
});
