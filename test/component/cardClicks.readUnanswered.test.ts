// A click first reads the item as the clicker, within the click's 8 s (cardAction.ts): Teams gives
// an invoke about 5 s before its client retries, and Azure Bot Service gives up on a bot after 10 to
// 15 s (https://learn.microsoft.com/azure/bot-service/bot-builder-howto-long-operations-guidance).
// When that read does not answer in time, nothing was sent: the clicker, on a notification card or
// on a list row, is told nothing was changed and to press the button again, never to check the item
// "before trying again, so it is not changed twice" (the words of a write whose answer was lost).
// The attempt's audit line says `failed` with `UPSTREAM`, and `graphStatus` null: no answer came
// (contract §6).

import { strict as assert } from 'node:assert';
import { Target } from '../../src/domain/operations';
import { Rig } from './botRig';
import { FakeClock } from './fakeClock';
import { rigOnFakeClock } from './heldResume';
import { contentOf, firstRowApprove } from './listSession';

const NOT_SENT = /Nothing was changed[^"]*Press the button again/;
const CHECK_FIRST = /before trying again|not changed twice|may or may not/;

describe('a click whose read before acting goes unanswered', () => {
  let rig: Rig;
  let clock: FakeClock;
  const start = rigOnFakeClock((c) => (clock = c));

  const audits = () => rig.logs.filter((l) => l.event === 'governance.action');
  /** Every GET from now on hangs (each attempt is cut at its own deadline); the rest reach the tenant. */
  const hangReads = () => {
    rig.hold = (req) => (req.method === 'GET' ? new Promise<Response>(() => undefined) : null);
  };
  const writes = () => rig.tenant.graphRequests().filter((q) => q.method !== 'GET');

  it('a notification card: not sent, nothing changed, press again; audited UPSTREAM with no status', async () => {
    rig = start({ silent: true, graphOnClock: true });
    const megan = rig.user(0);
    const target: Target = { operation: 'cancelRoleRequest', ids: { requestId: rig.seed.examples.roleRequestId } };
    await rig.postCard(megan, 'card-1', target);
    rig.tenant.clearLog();
    hangReads();

    const clicked = (await clock.drive(rig.click(megan, target, 'card-1'), 50, 120_000)).value;
    const said = JSON.stringify(clicked.body);
    assert.match(said, NOT_SENT, said);
    assert.doesNotMatch(said, CHECK_FIRST, said);
    assert.deepEqual(writes(), [], 'nothing was written');
    assert.equal(audits().length, 1, JSON.stringify(audits()));
    assert.equal(audits()[0]?.outcome, 'failed');
    assert.equal(audits()[0]?.errorCode, 'UPSTREAM');
    assert.equal(audits()[0]?.graphStatus, null);
  });

  it('a list row: the same words in the row, nothing written, one audit line', async () => {
    rig = start({ silent: true, graphOnClock: true });
    const megan = rig.user(0);
    const { sent } = (await clock.drive(rig.message(megan, 'my approvals'), 50, 120_000)).value;
    const card = sent.find((a) => a.attachments?.length)!;
    const approve = firstRowApprove(contentOf(card));
    rig.tenant.clearLog();
    hangReads();

    const value = { action: { type: 'Action.Execute', verb: approve.verb, data: approve }, trigger: 'manual' };
    const pressed = (
      await clock.drive(rig.invoke(megan, 'adaptiveCard/action', value, { replyToId: card.id! }), 50, 120_000)
    ).value;
    const said = JSON.stringify(pressed.invoke?.body);
    assert.match(said, NOT_SENT, said.slice(0, 3000));
    assert.doesNotMatch(said, CHECK_FIRST, said.slice(0, 3000));
    assert.deepEqual(writes(), [], 'nothing was written');
    assert.equal(audits().length, 1, JSON.stringify(audits()));
    assert.equal(audits()[0]?.errorCode, 'UPSTREAM');
    assert.equal(audits()[0]?.graphStatus, null);
  });
});
