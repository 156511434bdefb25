// Giving up on a channel alert whose outbox row failed on every pass (poisonAlertRow.ts) must not
// dead-letter a delivery whose card may be in the channel: one claimed by a live claim other than
// the one the failed pass took and sent nothing under is a send under way (another row of the same
// delivery: Azure Queue Storage may hold an id twice, and the fan-out's give-up queues one more),
// whose holder settles it. Dead-lettered under it, GET said deadLetter while its card was posted,
// or the holder, finding its claim gone before it posted, never posted at all. A claim the failed
// pass took itself and sent nothing under, or one that ran out, holds nothing back.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DeliveryLedger } from '../../src/alerts/deliveries';
import { Fanout, deliveryIdOf } from '../../src/alerts/fanout';
import { AlertSubscriptions } from '../../src/alerts/subscriptions';
import { SqliteState } from '../../src/state/sqlite';

const TEAM = '19:team@thread.tacv2';
const CHANNEL = '19:ch0@thread.tacv2';
const REASON = 'Governance Bot failed while posting this alert here, 20 times; it will not try again.';

describe('alerts: giving up on a row that failed on every pass leaves a live send alone', () => {
  let dir: string;
  let state: SqliteState;
  let clock: number;
  let ledger: DeliveryLedger;

  beforeEach(async () => {
    clock = 1_700_000_000_000;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-giveup-'));
    state = new SqliteState(path.join(dir, 'state.db'), { now: () => clock });
    const subs = new AlertSubscriptions(state.records, () => clock);
    await subs.setCategory({ teamId: TEAM, channelId: CHANNEL }, 'roleRequests', true, {
      userId: 'o',
      correlationId: 'c',
    });
    ledger = new DeliveryLedger(state.records, () => clock);
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const fanout = (enqueue: (id: string) => Promise<void>) =>
    new Fanout({
      records: state.records,
      channelsFor: (t) => new AlertSubscriptions(state.records, () => clock).channelsFor(t),
      enqueue,
      now: () => clock,
    });
  const id = deliveryIdOf('ev', CHANNEL);

  it('a send row: not dead-lettered under another holder’s live claim, whose post is then recorded', async () => {
    await fanout(async () => {}).fanOut({ eventId: 'ev', category: 'roleRequests' });
    const other = await ledger.claim(id, 'instance-2', 60_000);
    assert.ok(other.kind === 'claimed');
    assert.equal(await ledger.giveUp(id, REASON, undefined), 'held');
    assert.equal(await ledger.giveUp(id, REASON, 'a-token-of-this-pass'), 'held');
    assert.equal((await ledger.get(id))?.state, 'sending', 'the holder decides');
    // The holder posts: its card is recorded, and nothing says it was not delivered.
    await ledger.delivered(id, { activityId: 'a1' });
    assert.equal(await ledger.giveUp(id, REASON, undefined), 'settled');
    assert.equal((await ledger.get(id))?.state, 'delivered');
  });

  it('a send row: its own claim nothing was sent under, or a claim run out, is given up', async () => {
    await fanout(async () => {}).fanOut({ eventId: 'ev', category: 'roleRequests' });
    const own = await ledger.claim(id, 'instance-1', 60_000);
    assert.ok(own.kind === 'claimed');
    assert.equal(await ledger.giveUp(id, REASON, own.token), 'given');
    assert.deepEqual([(await ledger.get(id))?.state, (await ledger.get(id))?.reason], ['deadLetter', REASON]);
  });

  it('a send row: a claim that ran out holds nothing back', async () => {
    await fanout(async () => {}).fanOut({ eventId: 'ev', category: 'roleRequests' });
    assert.equal((await ledger.claim(id, 'instance-2', 60_000)).kind, 'claimed');
    clock += 60_001;
    assert.equal(await ledger.giveUp(id, REASON, undefined), 'given');
  });

  it('a fan-out row whose extra row cannot be queued: a delivery under a live claim is left to its holder', async () => {
    await fanout(async () => {}).fanOut({ eventId: 'ev', category: 'roleRequests' });
    const held = await ledger.claim(id, 'instance-2', 60_000);
    assert.ok(held.kind === 'claimed');
    const failing = fanout(() => Promise.reject(new Error('queue write refused')));
    assert.equal(await failing.abandon('ev', REASON, undefined), 0, 'no channel dead-lettered');
    assert.equal((await ledger.get(id))?.state, 'sending');
    assert.ok(await ledger.retryLater(id, held.token, clock, 'Teams answered 503; trying again.'), 'still its own');
    // Not claimed now: given up.
    assert.equal(await failing.abandon('ev', REASON, undefined), 1);
    assert.equal((await ledger.get(id))?.state, 'deadLetter');
  });
});
