// A press of Approve on an access package approval its presser has already denied with a typed
// command: Graph's read names the stage's reviewer by id (approvalStage reviewedBy), and when that
// is the presser the card says it was already denied, by whom, never "Someone else already
// decided". This drives the press through the bot, so the presser's id reaches that comparison.
// https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0

import { strict as assert } from 'node:assert';
import type { Target } from '../../src/domain/operations';
import { Rig } from './botRig';
import { rigPerTest } from './rigPerTest';

describe('a card press on an approval its presser already denied by command', () => {
  let r: Rig;
  rigPerTest((rig) => (r = rig), { silent: true });

  it('says it was already denied by the presser, not that someone else decided', async () => {
    const id = r.seed.examples.accessApprovalId;
    const megan = r.user(0);
    await r.signIn(megan);
    const denied = await r.message(megan, `deny access-request ${id} Not needed this quarter`);
    assert.match(JSON.stringify(denied.sent), /Denied/, JSON.stringify(denied.sent).slice(0, 600));
    const approve: Target = { operation: 'decideAccessPackageApproval', ids: { requestId: id }, decision: 'approve' };
    await r.postCard(megan, 'card-own-decision', approve);
    const click = await r.click(megan, approve, 'card-own-decision');
    const words = JSON.stringify(click.body.value);
    assert.match(words, new RegExp(`Already denied by ${megan.name}`), words.slice(0, 800));
    assert.doesNotMatch(words, /Someone else/i);
  });
});
