// Two page turns of one list card at once on two instances sharing one state store (one SQLite
// file): More on instance A, reading Graph's next page, and Previous on instance B. Each instance
// keeps the list and binds the card in the shared store, and edits the card for everyone; the last
// update Teams takes is what everyone sees
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/update-and-delete-bot-messages).
// Whichever instance's binding lands last, the card everyone ends up seeing, the list kept and the
// rows bound are one page, and the presser's copy (the last invoke answer) shows those rows.

import { strict as assert } from 'node:assert';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { holdNextWrite } from '../fixtures/heldWrite';
import { Rig, User } from './botRig';
import { contentOf, manyAccessRequests, pressList } from './listSession';
import { idsShown, listRace, until } from './listRace';
import { rigsOnOneFile } from './twoInstances';

describe('two page turns of one list card at once on two instances leave the card and its buttons on the same rows', () => {
  const { instance, landed } = rigsOnOneFile();

  /** Instances A and B on one tenant with more of Megan's approvals than Graph's page, and the race
   * parts: A posts and pages, B is checked (the store is one). */
  function twoInstances() {
    const tenant = new SimulatedTenant(loadDemoSeed());
    const a = instance(tenant);
    const b = instance(tenant);
    manyAccessRequests(a);
    const megan = a.user(0);
    const on = (r: Rig) => (user: User, cardId: string, data: Record<string, unknown>) =>
      pressList(r, user, cardId, data);
    const list = async (user: User, text: string) => {
      const { sent } = await a.message(user, text);
      const card = sent.find((x) => x.attachments?.length)!;
      return { card: card as { id?: string; conversation?: { id: string } }, content: contentOf(card) };
    };
    return {
      a,
      b,
      megan,
      pressA: on(a),
      pressB: on(b),
      raceA: listRace(a, megan, list, on(a)),
      raceB: listRace(b, megan, list, on(b)),
    };
  }

  it('Previous on B binds its rows after More on A kept and bound its page', async () => {
    const { a, b, megan, pressA, pressB, raceA, raceB } = twoInstances();
    const { cardId, conversationId, more, previous } = await raceA.atGraphPage();
    const batch = raceA.holdBatch();
    const turning = pressA(megan, cardId, more);
    await batch.reading;

    const bind = holdNextWrite(b.state.records, 'card:');
    const back = pressB(megan, cardId, previous);
    await bind.reached;
    await until(
      async () => (await raceB.saved(conversationId, cardId))?.offset === previous.offset,
      'Previous is kept',
    );

    batch.release();
    assert.equal((await turning).statusCode, 200);
    await a.bot.idle();
    bind.release();
    const answer = await back;
    assert.equal(answer.statusCode, 200);
    await a.bot.idle();
    const { everyone } = await raceB.agree(conversationId, cardId, landed());
    assert.deepEqual(idsShown(answer.value), idsShown(everyone), 'the presser’s copy shows the rows bound');
  });

  it('More on A binds its rows after Previous on B kept and bound its page', async () => {
    const { a, b, megan, pressA, pressB, raceA } = twoInstances();
    const { cardId, conversationId, more, previous } = await raceA.atGraphPage();
    const batch = raceA.holdBatch();
    const turning = pressA(megan, cardId, more);
    await batch.reading;

    const bind = holdNextWrite(a.state.records, 'card:');
    batch.release();
    await bind.reached;
    await until(async () => (await raceA.saved(conversationId, cardId))?.offset === more.offset, 'More is kept');
    assert.equal((await pressB(megan, cardId, previous)).statusCode, 200);

    bind.release();
    const answer = await turning;
    assert.equal(answer.statusCode, 200);
    await b.bot.idle();
    const { everyone } = await raceA.agree(conversationId, cardId, landed());
    assert.deepEqual(idsShown(answer.value), idsShown(everyone), 'the presser’s copy shows the rows bound');
  });
});
