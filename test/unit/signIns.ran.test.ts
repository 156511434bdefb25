// A waiting sign-in whose command was taken to run (src/state/signIns.ts take and finish) leaves a
// record in the shared state, per pending id and for as long as a sign-in may wait, so that the
// user's other clients (Teams sends the card to each of them:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code)
// hear "it ran" rather than "send it again". Found under the first card's id and the id of a card
// sent again for it (moveTo), on another instance; never for a sign-in that is gone without running.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PendingSignIns } from '../../src/state/signIns';
import { SqliteState } from '../../src/state/sqlite';

const ALICE = 'Alice';
const TTL_MS = 15 * 60_000;

describe('the record that a waiting sign-in’s command ran', () => {
  let dir: string;
  let states: SqliteState[];
  let now: number;
  let here: PendingSignIns<string>;
  let there: PendingSignIns<string>;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-ran-'));
    now = Date.UTC(2026, 0, 5, 9);
    const clock = () => now;
    states = [0, 1].map(() => new SqliteState(path.join(dir, 'state.db'), { now: clock }));
    [here, there] = states.map((s) => new PendingSignIns<string>(s.records, { now: clock, ttlMs: TTL_MS })) as [
      PendingSignIns<string>,
      PendingSignIns<string>,
    ];
  });
  afterEach(async () => {
    for (const s of states) await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('an exchange that ran it under the card sent again: both cards’ ids tell, on another instance, for a bounded time', async () => {
    await here.add('first', ALICE, 'cancel it');
    assert.ok(await here.moveTo('first', 'again', ALICE));
    assert.equal(await there.ran('first'), false, 'waiting, not ran');
    assert.ok(await here.lease('again', ALICE, 'exchange-a', 60_000));
    assert.ok(await here.finish('again', 'exchange-a'));
    assert.equal(await there.ran('first'), true);
    assert.equal(await there.ran('again'), true);
    now += TTL_MS + 1;
    assert.equal(await there.ran('first'), false, 'forgotten once a sign-in could no longer wait');
  });

  it('a verifyState that took it: tells; a sign-in gone without running (a sign out, never known) does not', async () => {
    await here.add('taken', ALICE, 'cancel it');
    assert.equal((await here.take('taken'))?.payload, 'cancel it');
    assert.equal(await there.ran('taken'), true);
    await here.add('forgotten', ALICE, 'approve it');
    await here.forgetUser(ALICE);
    assert.equal(await there.ran('forgotten'), false);
    assert.equal(await there.ran('never'), false);
    // An exchange that found it gone (taken) runs nothing and changes nothing.
    assert.equal(await there.finish('forgotten', 'exchange-b'), false);
    assert.equal(await there.ran('forgotten'), false);
  });
});
