// The README's `approve …` and `deny …` commands, checked from the outside over real HTTP.
// README, "Approvals": "`approve …` and `deny …` act on the approval stage that waits for you […]
// A deny needs a justification […]; at most 500 characters (no Graph page states a limit: this is
// what the Entra admin center accepts). […] When another approver of the stage decided first
// (Graph's 409, or a read), the answer says who and when."
// Graph: https://learn.microsoft.com/en-us/graph/api/approvalstage-update (204; 409 when another
// approver of the stage decided first), beta steps for PIM roles:
// https://learn.microsoft.com/en-us/graph/api/approvalstep-update?view=graph-rest-beta

import { strict as assert } from 'node:assert';
import { cardText, userOf } from './harness';
import { contractSession } from './contractSession';

describe('README: approve and deny commands (black box)', function () {
  this.timeout(90_000);
  const s = contractSession();

  const patches = () => s.world.tenant.graphRequests().filter((r) => r.method === 'PATCH');

  it('an approver who approves again the stage they decided is not told that someone else decided', async () => {
    const megan = userOf(s.world.seed, 0);
    const id = s.world.seed.examples.roleApprovalId; // one stage: Megan or Lynne
    const first = await s.run(megan, `approve role-request ${id} Checked with the requester`);
    assert.match(cardText(first), /Approved your stage/);
    assert.equal(patches().length, 1);
    // Not as the answer arrives: once the bot has stopped, having finished all it was doing, no
    // second decision can follow. The new bot may ask Megan to sign in again: run() does.
    await s.settle();
    assert.equal(patches().length, 1, 'still one decision once the bot has finished all it was doing');
    const text = cardText(await s.run(megan, `approve role-request ${id} Checked with the requester`));
    assert.match(text, /Megan Bowen/, 'the answer says who decided');
    assert.doesNotMatch(text, /[Ss]omeone else/, `Megan decided it herself: ${text}`);
  });

  it('a deny over 500 characters is refused without Graph, and the refusal does not say Graph set the limit', async () => {
    const megan = userOf(s.world.seed, 0);
    await s.signIn(megan);
    s.world.tenant.clearLog();
    const { reply } = await s.say(
      megan,
      `deny access-request ${s.world.seed.examples.accessApprovalId} ${'x'.repeat(501)}`,
    );
    const text = cardText(reply);
    assert.equal(patches().length, 0, 'nothing reached Graph');
    assert.match(text, /500/);
    assert.doesNotMatch(text, /Microsoft Graph takes at most/, `no Graph page states a limit: ${text}`);
  });

  it('a deny of exactly 500 characters reaches Graph with the justification', async () => {
    const megan = userOf(s.world.seed, 0);
    await s.signIn(megan);
    s.world.tenant.clearLog();
    const why = 'y'.repeat(500);
    const { reply } = await s.say(megan, `deny group-request ${s.world.seed.examples.groupApprovalId} ${why}`);
    assert.match(cardText(reply), /Denied your stage/);
    assert.equal(patches().length, 1);
    assert.deepEqual(JSON.parse(patches()[0]!.body ?? '{}'), { reviewResult: 'Deny', justification: why });
    await s.settle();
    assert.equal(patches().length, 1, 'still one decision once the bot has finished all it was doing');
  });
});
