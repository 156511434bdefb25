// A press that settles its item answers the clicker at once; the edit everyone sees (updateActivity)
// comes after the answer. Teams gives an invoke about 5 s before its client retries
// (https://learn.microsoft.com/microsoftteams/platform/messaging-extensions/how-to/action-commands/respond-to-task-module-submit)
// and Azure Bot Service gives up on a bot after 10 to 15 s
// (https://learn.microsoft.com/azure/bot-service/bot-builder-howto-long-operations-guidance); a
// click may already have spent up to its 8 s budget on Graph, and an edit has a 15 s deadline of its
// own (a 429 waited out within it), so an answer held behind the edit arrives after Teams stopped
// waiting, and the clicker is shown an error for a cancel that was made. The card the answer
// carries replaces the clicker's copy at once ("the card returned replaces the card for the user
// who clicked only": https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/universal-action-model#response-format).

import { strict as assert } from 'node:assert';
import { Target } from '../../src/domain/operations';
import { Rig, cardsOf } from './botRig';
import { rigPerTest } from './rigPerTest';
import { holdUpdates } from './heldUpdates';

describe('card clicks: the edit for everyone after the answer', () => {
  let r: Rig;
  rigPerTest((rig) => (r = rig));

  it('a cancel is answered while the edit for everyone hangs, and the edit lands after', async () => {
    const megan = r.user(0);
    const target: Target = { operation: 'cancelRoleRequest', ids: { requestId: r.seed.examples.roleRequestId } };
    await r.signIn(megan);
    await r.postCard(megan, 'card-1', target);
    const hold = holdUpdates(r);

    const clicked = r.click(megan, target, 'card-1');
    const first = await Promise.race([
      clicked.then(() => 'answered' as const),
      hold.reached.then(() => new Promise<'waited'>((res) => setTimeout(() => res('waited'), 200))),
    ]);
    // Before the change the answer waited for the edit, so the race was lost to the hold.
    assert.equal(first, 'answered', 'the clicker is answered before the edit for everyone ends');
    const answer = await clicked;
    assert.equal(answer.status, 200);
    assert.equal(answer.body.statusCode, 200);
    assert.equal(answer.body.type, 'application/vnd.microsoft.card.adaptive');
    assert.match(JSON.stringify(answer.body.value), /Cancelled by Megan Bowen/);
    assert.doesNotMatch(JSON.stringify(answer.body.value), /Action\.Execute/, 'the clicker sees no buttons');
    assert.equal(r.tenant.getRoleRequest(r.seed.examples.roleRequestId)?.status, 'Canceled');

    hold.release();
    await r.bot.idle();
    const edits = r.updates.filter((u) => u.id === 'card-1');
    assert.equal(edits.length, 1, 'everyone sees the settled card once the edit goes through');
    assert.match(cardsOf(edits), /Cancelled by Megan Bowen/);
    assert.doesNotMatch(cardsOf(edits), /Action\.Execute/);
  });
});
