// Two page turns of one list card by its owner at once: Previous pressed while More still reads
// Graph's next page (here on one instance; lists.turnsAtOnceInstances races two). Each turn keeps the list with
// its page on screen and binds the card to that page's rows, two writes that land in any order
// when the store takes its time. Whichever turn's writes land last, the card everyone ends up
// seeing (the last update Teams took:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/update-and-delete-bot-messages),
// the list kept and the rows bound must be the same page: a row shown whose buttons are refused as
// not on the card cannot be decided until the next page turn. The presser's own copy is the
// invoke's answer (Universal Actions:
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/work-with-universal-actions-for-adaptive-cards).

import { strict as assert } from 'node:assert';
import { holdNextWrite } from '../fixtures/heldWrite';
import { Rig, User } from './botRig';
import { contentOf, listSession, manyAccessRequests } from './listSession';
import { idsShown, listRace, until } from './listRace';

describe('two page turns of one list card at once leave the card and its buttons on the same rows', () => {
  let r: Rig;
  let megan: User;
  let race: ReturnType<typeof listRace>;
  const { list, press } = listSession((rig) => {
    r = rig;
    megan = rig.user(0);
    manyAccessRequests(rig);
    race = listRace(rig, megan, list, press);
  });
  const atGraphPage = () => race.atGraphPage();
  const holdBatch = () => race.holdBatch();
  const saved = (conversationId: string, cardId: string) => race.saved(conversationId, cardId);
  const agree = (conversationId: string, cardId: string) => race.agree(conversationId, cardId);

  it('Previous, pressed while More reads Graph, binds its rows last: More’s page, kept last, is bound', async () => {
    const { cardId, conversationId, more, previous } = await atGraphPage();
    const batch = holdBatch();
    const turning = press(megan, cardId, more);
    await batch.reading;

    const bind = holdNextWrite(r.state.records, 'card:');
    const back = press(megan, cardId, previous);
    await bind.reached;
    await until(async () => (await saved(conversationId, cardId))?.offset === previous.offset, 'Previous is kept');

    batch.release();
    assert.equal((await turning).statusCode, 200);
    bind.release();
    const answer = await back;
    assert.equal(answer.statusCode, 200);
    const { everyone } = await agree(conversationId, cardId);
    // The presser's copy is the answer of the turn that ended last: it shows the rows bound too,
    // rather than waiting for the edit for everyone (which Teams may refuse) to put them right.
    assert.deepEqual(idsShown(answer.value), idsShown(everyone), 'the presser’s copy shows the rows bound');
  });

  it('More binds its rows last, after Previous turned the card back: Previous’s page is bound', async () => {
    const { cardId, conversationId, more, previous } = await atGraphPage();
    const batch = holdBatch();
    const turning = press(megan, cardId, more);
    await batch.reading;

    const bind = holdNextWrite(r.state.records, 'card:');
    batch.release();
    await bind.reached;
    await until(async () => (await saved(conversationId, cardId))?.offset === more.offset, 'More is kept');
    assert.equal((await press(megan, cardId, previous)).statusCode, 200);

    bind.release();
    const answer = await turning;
    assert.equal(answer.statusCode, 200);
    const { everyone } = await agree(conversationId, cardId);
    assert.deepEqual(idsShown(answer.value), idsShown(everyone), 'the presser’s copy shows the rows bound');
  });

  /** Previous pressed while More reads Graph, its list kept only after More's: the card, and the
   * list as More kept it. */
  async function previousKeptLast() {
    const { cardId, conversationId, more, previous } = await atGraphPage();
    const batch = holdBatch();
    const turning = press(megan, cardId, more);
    await batch.reading;

    const keep = holdNextWrite(r.state.records, 'list:');
    const back = press(megan, cardId, previous);
    await keep.reached;

    batch.release();
    assert.equal((await turning).statusCode, 200);
    const afterMore = await saved(conversationId, cardId);
    keep.release();
    assert.equal((await back).statusCode, 200);
    return { cardId, conversationId, afterMore };
  }

  it('Previous, pressed while More reads Graph, keeps its page last: its page is bound', async () => {
    const { cardId, conversationId } = await previousKeptLast();
    await agree(conversationId, cardId);
  });

  it('Previous, kept after More read Graph’s next page, keeps the rows More read', async () => {
    // Previous began from the list before More's rows: kept as it began, the list would lose them
    // and go back to Graph's earlier next page, with fewer rows counted on the card.
    const { cardId, conversationId, afterMore } = await previousKeptLast();
    await r.bot.idle();
    const kept = await saved(conversationId, cardId);
    assert.ok(afterMore && kept);
    assert.deepEqual(
      kept.items.map((i) => i.requestId),
      afterMore.items.map((i) => i.requestId),
      'the rows More read stay',
    );
    assert.deepEqual(kept.next, afterMore.next, 'the next pages go on from More’s read');
    const everyone = contentOf(r.updates.filter((u) => u.id === cardId).at(-1));
    assert.match(JSON.stringify(everyone.body[1]), new RegExp(`of ${kept.items.length}\\b`));
  });
});
