// A list card's page turn is two writes: the list kept with its new page (state/listCards.ts), then
// the card bound to that page's rows (state/cardBindings.ts). When the second fails (the store
// answers an error, or the process ends between the two), the list kept and the card's binding name
// different pages until the next turn. Before, a row of the old page, pressed on a copy of the card
// not yet edited, was decided in Graph while the answer, and the card everyone then saw, showed the
// new page with no word of it; and every row of the new page was refused as not on the card. A row
// acts only when it is on the page kept: the old page's row decides nothing and its presser gets the
// list as kept, saying so; a row of the page kept binds the card to it and acts. The invoke's
// answer replaces the presser's copy of the card, the edit everyone's
// (https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/work-with-universal-actions-for-adaptive-cards,
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/update-and-delete-bot-messages).

import { strict as assert } from 'node:assert';
import { failNextWrite } from '../fixtures/failedWrite';
import { Rig, User } from './botRig';
import { ListContent, buttonsOf, contentOf, firstRowApprove, listSession, moreOf, rowsOf } from './listSession';
import { idsShown } from './listRace';
import { ListCards } from '../../src/state/listCards';
import type { WorkItem } from '../../src/domain/myWork';
import { pageOf } from '../../src/bot/listCards';
import { pressOf } from '../fixtures/pressedData';

const patches = (r: Rig) => r.tenant.graphRequests().filter((q) => q.method === 'PATCH');
const approveOf = (c: ListContent, n: number) =>
  buttonsOf(rowsOf(c)[n]!)
    .flatMap(pressOf)
    .find((b) => b.title === 'Approve')!.data as Record<string, unknown>;

describe('a list card whose page turn kept its list but did not bind its rows', () => {
  let r: Rig;
  let megan: User;
  const { list, press } = listSession((rig) => {
    r = rig;
    megan = rig.user(0);
  });

  /** Megan's card, its More kept (page 2) and its binding write failed: the first page as posted. */
  async function moreKeptNotBound() {
    const { card, content } = await list(megan, 'my approvals');
    const cardId = card.id!;
    const conversationId = card.conversation!.id;
    failNextWrite(r.state.records, 'card:');
    const more = await press(megan, cardId, moreOf(content)!);
    assert.match(JSON.stringify(more.value), /Something went wrong/, 'the page turn failed');
    await r.bot.idle();
    const kept = await new ListCards<WorkItem>(r.state.records).get(conversationId, cardId);
    assert.equal(kept?.offset, 10, 'the list was kept with its second page');
    const bound = (await r.bindings.itemsOf(conversationId, cardId))?.map((b) => b.ids.requestId);
    assert.deepEqual(bound, idsShown(content), 'the card is still bound to the first page');
    r.tenant.clearLog();
    r.updates.length = 0;
    return { cardId, conversationId, first: content, page: pageOf(kept).map((i) => i.requestId.toLowerCase()) };
  }

  it('a row of the page before decides nothing; its presser gets the list as kept, saying it changed', async () => {
    const { cardId, first, page } = await moreKeptNotBound();
    const answer = await press(megan, cardId, firstRowApprove(first));
    assert.deepEqual(
      patches(r).map((q) => q.path),
      [],
      'a row not on the page the card shows was decided in Graph',
    );
    assert.equal(answer.statusCode, 200, JSON.stringify(answer));
    assert.match(JSON.stringify(answer.value.body[1]), /This list changed since that row was shown: nothing was done/);
    assert.deepEqual(idsShown(answer.value), page, 'the presser sees the page kept');
    await r.bot.idle();
    assert.deepEqual(idsShown(contentOf(r.updates.at(-1))), page, 'everyone sees the page kept');
    const line = r.logs.filter((l) => l.event === 'governance.action').at(-1);
    assert.equal(line?.outcome, 'failed');
    assert.equal(line?.refused, 'listChanged');
    assert.equal(line?.errorCode, 'INVALID_STATE');
  });

  it('a row of the page kept binds the card to that page and acts', async () => {
    const { cardId, conversationId, first, page } = await moreKeptNotBound();
    // The presser's copy after a press on the page before: the page kept, whose rows are pressed.
    const shown = (await press(megan, cardId, firstRowApprove(first))).value;
    const answer = await press(megan, cardId, approveOf(shown, 0));
    assert.equal(answer.statusCode, 200, JSON.stringify(answer));
    assert.match(JSON.stringify(rowsOf(answer.value)[0]), /Approved by Megan Bowen/);
    assert.equal(patches(r).length, 1, 'the row decided once');
    const bound = (await r.bindings.itemsOf(conversationId, cardId))?.map((b) => (b.ids.requestId ?? '').toLowerCase());
    assert.deepEqual(bound, page, 'the card is bound to the page it shows');
  });

  it('a list posted whose binding failed: its rows act', async () => {
    failNextWrite(r.state.records, 'card:');
    // The turn fails after the card was sent (the rig hands the handler's error back, where the
    // adapter's error handler would answer it).
    await assert.rejects(r.message(megan, 'my approvals'), /did not reach the store/);
    const card = r.sent.find((a) => a.attachments?.length)!;
    assert.ok(card?.id, 'the card was posted');
    const answer = await press(megan, card.id!, firstRowApprove(contentOf(card)));
    assert.equal(answer.statusCode, 200, JSON.stringify(answer));
    assert.match(JSON.stringify(rowsOf(answer.value)[0]), /Approved by Megan Bowen/);
    assert.equal(patches(r).length, 1);
  });
});
