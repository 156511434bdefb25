// A click's time counts from the invoke's arrival, not from when the card-action protocol starts.
// Teams gives an invoke about 5 s before its client retries, and Azure Bot Service gives up on a
// bot after 10 to 15 s (https://learn.microsoft.com/azure/bot-service/bot-builder-howto-long-operations-guidance;
// teams-platform.md §3): a click that first had to sign its clicker in (an on-behalf-of exchange
// with a deadline of its own) must not then start a Graph write with a whole budget left, answering
// long after Teams stopped waiting. A click whose time went on signing in sends nothing and says so;
// the next press (the token now kept) acts.

import { strict as assert } from 'node:assert';
import type { DelegatedToken, OboExchanger } from '../../src/auth/tokens';
import { CLICK_BUDGET_MS } from '../../src/domain/cardAction';
import { Target } from '../../src/domain/operations';
import { Rig } from './botRig';
import { rigMadeInTest } from './rigPerTest';
import { FakeClock } from './fakeClock';

/** An on-behalf-of exchange that takes `ms` of the fake clock's time. */
function slowObo(clock: FakeClock, ms: number): (inner: OboExchanger) => OboExchanger {
  return (inner) => ({
    exchange: async (sso: string): Promise<DelegatedToken> => {
      await clock.advance(ms);
      return inner.exchange(sso);
    },
  });
}

describe('a click budget counts from the invoke', () => {
  const rigIn = rigMadeInTest();

  const roleTarget = (r: Rig): Target => ({
    operation: 'cancelRoleRequest',
    ids: { requestId: r.seed.examples.roleRequestId },
  });

  it('a click whose sign-in used up its time sends nothing to Graph, says so, and the next press acts', async () => {
    const clock = new FakeClock();
    const r = rigIn({ clock, obo: slowObo(clock, CLICK_BUDGET_MS) });
    const megan = r.user(0);
    await r.postCard(megan, 'card-1', roleTarget(r));
    r.tenant.clearLog();

    const first = await r.click(megan, roleTarget(r), 'card-1', {
      authentication: { id: 'x', connectionName: '', token: r.sso(megan) },
    });
    assert.equal(first.status, 200);
    assert.match(JSON.stringify(first.body), /ran out of time before anything was sent to Microsoft Graph/);
    assert.match(JSON.stringify(first.body), /Press the button again/);
    // Nothing reached Graph, so the card neither says Graph failed nor asks to check the item
    // before retrying (the words of a write whose outcome is unknown).
    assert.doesNotMatch(JSON.stringify(first.body), /Microsoft Graph failed|so it is not changed twice/);
    assert.equal(r.tenant.graphRequests().length, 0, 'no Graph call, not even the read');
    const audit = r.logs.filter((l) => l.event === 'governance.action');
    assert.equal(audit.length, 1, 'one audit line for the attempt (contract §6)');
    assert.equal(audit[0]?.outcome, 'failed');
    assert.equal(audit[0]?.outOfTime, true);

    const again = await r.click(megan, roleTarget(r), 'card-1');
    assert.equal(again.status, 200);
    assert.ok(
      r.tenant.graphRequests().some((q) => q.method === 'POST'),
      'the next press, signed in now, sends the cancel',
    );
  });

  it('a click whose sign-in used up its time on an item already done through a card answers with what was done', async () => {
    // "Nothing was changed" is never said of an item a write already changed: the claim's record
    // answers, with no Graph call, as it does for any click on an item already done.
    const clock = new FakeClock();
    const r = rigIn({ clock, obo: slowObo(clock, CLICK_BUDGET_MS) });
    const megan = r.user(0);
    const other = r.user(1);
    await r.postCard(megan, 'card-1', roleTarget(r));
    await r.postCard(other, 'card-2', roleTarget(r));
    const auth = (u: typeof megan) => ({ authentication: { id: 'x', connectionName: '', token: r.sso(u) } });
    await r.click(megan, roleTarget(r), 'card-1', auth(megan));
    const done = await r.click(megan, roleTarget(r), 'card-1');
    assert.doesNotMatch(JSON.stringify(done.body), /ran out of time/);
    await r.bot.idle();
    r.tenant.clearLog();

    const late = await r.click(other, roleTarget(r), 'card-2', auth(other));
    assert.equal(late.status, 200);
    assert.doesNotMatch(JSON.stringify(late.body), /Nothing was changed/, JSON.stringify(late.body));
    assert.equal(r.tenant.graphRequests().length, 0, 'answered from the claim');
  });

  it('a sign-in that leaves time still acts within the same click', async () => {
    const clock = new FakeClock();
    const r = rigIn({ clock, obo: slowObo(clock, CLICK_BUDGET_MS / 2) });
    const megan = r.user(0);
    await r.postCard(megan, 'card-1', roleTarget(r));
    r.tenant.clearLog();

    const click = await r.click(megan, roleTarget(r), 'card-1', {
      authentication: { id: 'x', connectionName: '', token: r.sso(megan) },
    });
    assert.equal(click.status, 200);
    assert.doesNotMatch(JSON.stringify(click.body), /ran out of time/);
    assert.ok(r.tenant.graphRequests().some((q) => q.method === 'POST'));
  });
});
