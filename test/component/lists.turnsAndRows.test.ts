// A row of a list card decided while a page of the card turns: its press while More reads Graph's
// next page, its outcome kept before or after the page turn's list, and a page turn just after
// it. Whatever order the writes land in, the card everyone ends up seeing (the last update Teams
// took: https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/update-and-delete-bot-messages),
// the list kept and the rows bound are one page, and the decided row keeps its outcome.

import { strict as assert } from 'node:assert';
import { holdNextWrite } from '../fixtures/heldWrite';
import { Rig, User } from './botRig';
import { ListContent, buttonsOf, firstRowApprove, listSession, manyAccessRequests, rowsOf } from './listSession';
import { action, idsShown, listRace } from './listRace';

const requestIdOf = (data: Record<string, unknown>): string =>
  String((data.ids as { requestId?: unknown }).requestId ?? '').toLowerCase();

describe('a list row decided while the card turns a page leaves the card and its buttons on the same rows', () => {
  let r: Rig;
  let megan: User;
  let race: ReturnType<typeof listRace>;
  const { list, press } = listSession((rig) => {
    r = rig;
    megan = rig.user(0);
    manyAccessRequests(rig);
    race = listRace(rig, megan, list, press);
  });

  /** The row `requestId` shows its outcome, and no buttons, when its page is on the card. */
  async function decided(cardId: string, requestId: string, from: ListContent): Promise<void> {
    let content = from;
    for (let i = 0; i < 6 && !idsShown(content).includes(requestId); i++) {
      const back = action(content, 'Previous');
      assert.ok(back, 'the row’s page is reached');
      content = (await press(megan, cardId, back)).value;
    }
    const row = rowsOf(content)[idsShown(content).indexOf(requestId)];
    assert.ok(row, 'the row is on the card');
    assert.match(JSON.stringify(row), /Approved by Megan Bowen/);
    assert.equal(buttonsOf(row).length, 0, 'the decided row has no buttons');
  }

  it('a row approved while More reads Graph: More’s page is shown and bound, the row keeps its outcome', async () => {
    const { cardId, conversationId, page, more } = await race.atGraphPage();
    const batch = race.holdBatch();
    const turning = press(megan, cardId, more);
    await batch.reading;

    const approve = firstRowApprove(page);
    const approved = await press(megan, cardId, approve);
    assert.equal(approved.statusCode, 200, approved.type);
    assert.match(JSON.stringify(approved.value), /Approved by Megan Bowen/);

    batch.release();
    assert.equal((await turning).statusCode, 200);
    const { kept, everyone } = await race.agree(conversationId, cardId);
    assert.ok(kept.outcomes[requestIdOf(approve)], 'the approved row keeps its outcome');
    await decided(cardId, requestIdOf(approve), everyone);
  });

  it('a row approved while More reads Graph, its outcome kept after More’s page: both stay', async () => {
    const { cardId, conversationId, page, more } = await race.atGraphPage();
    const batch = race.holdBatch();
    const turning = press(megan, cardId, more);
    await batch.reading;

    // The row's outcome is the next write of the list: held until More's page is kept.
    const outcome = holdNextWrite(r.state.records, 'list:');
    const approve = firstRowApprove(page);
    const approving = press(megan, cardId, approve);
    await outcome.reached;
    batch.release();
    assert.equal((await turning).statusCode, 200);
    outcome.release();
    assert.equal((await approving).statusCode, 200);

    const { kept, everyone } = await race.agree(conversationId, cardId);
    assert.ok(kept.outcomes[requestIdOf(approve)], 'the approved row keeps its outcome');
    await decided(cardId, requestIdOf(approve), everyone);
  });

  it('Previous just after a row is approved, the outcome kept after Previous’s page: both stay', async () => {
    const { cardId, conversationId, page, previous } = await race.atGraphPage();
    const outcome = holdNextWrite(r.state.records, 'list:');
    const approve = firstRowApprove(page);
    const approving = press(megan, cardId, approve);
    await outcome.reached;
    assert.equal((await press(megan, cardId, previous)).statusCode, 200);
    outcome.release();
    assert.equal((await approving).statusCode, 200);

    const { kept, everyone } = await race.agree(conversationId, cardId);
    assert.ok(kept.outcomes[requestIdOf(approve)], 'the approved row keeps its outcome');
    // Forward again to the row's page.
    const more = action(everyone, 'More');
    assert.ok(more, 'the card goes on');
    await decided(cardId, requestIdOf(approve), (await press(megan, cardId, more)).value);
  });
});
