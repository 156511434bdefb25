// Two instances on one state store (one SQLite file) edit the same "my approvals" list card for
// everyone: the card everyone ends up seeing shows every row decided, whichever instance's edit
// reaches Teams last. An edit replaces the message for everyone in the conversation, and the last
// update Teams takes is what they see
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/update-and-delete-bot-messages).
// A list card's edit is made from the list as kept when it is sent, so the order in which the
// instances make their edits is not the order of the lists they show. Here Megan Bowen approves one
// row on instance A, whose edit is held on its way to Teams, and another row on instance B, whose
// edit lands first; then A's lands.

import { strict as assert } from 'node:assert';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { Rig, User } from './botRig';
import { ListContent, Row, buttonsOf, contentOf, headingOf, rowsOf } from './listSession';
import { rigsOnOneFile } from './twoInstances';
import { holdFirstUpdate } from './twoStageCard';
import { pressOf } from '../fixtures/pressedData';

const approveOf = (row: Row) =>
  buttonsOf(row)
    .flatMap(pressOf)
    .find((b) => b.title === 'Approve')?.data as Record<string, unknown> | undefined;

describe('a list card edited on two instances shows every row decided', () => {
  /** Instances on one file; `landed()` is every update of a card in the order it reached Teams, from both. */
  const { instance, landed } = rigsOnOneFile();

  async function press(r: Rig, user: User, cardId: string, data: Record<string, unknown>): Promise<ListContent> {
    const value = { action: { type: 'Action.Execute', verb: data.verb, data }, trigger: 'manual' };
    const turn = await r.invoke(user, 'adaptiveCard/action', value, { replyToId: cardId });
    return (turn.invoke?.body as { value: ListContent }).value;
  }

  /** A row approved on A, whose first update is held (then answered as `outcome` says) until the
   * edit of another row approved on B has landed; the two rows in the card everyone sees at the end. */
  async function racedRows(outcome: 'answered' | 'cut'): Promise<Row[]> {
    const tenant = new SimulatedTenant(loadDemoSeed());
    const hold = holdFirstUpdate(outcome);
    const a = instance(tenant, hold.held);
    const b = instance(tenant);
    const megan = a.user(0);
    const { sent } = await a.message(megan, 'my approvals');
    const card = sent.find((x) => x.attachments?.length)!;
    const rows = rowsOf(contentOf(card)).filter((row) => approveOf(row));
    assert.ok(rows.length >= 2, 'two rows to approve');
    const [one, two] = [rows[0]!, rows[1]!];

    assert.match(JSON.stringify(await press(a, megan, card.id!, approveOf(one)!)), /Approved by Megan Bowen/);
    await hold.reached;
    assert.match(JSON.stringify(await press(b, megan, card.id!, approveOf(two)!)), /Approved by Megan Bowen/);
    await b.bot.idle();

    hold.open();
    await a.bot.idle();
    await b.bot.idle();

    const edits = landed().filter((u) => u.id === card.id);
    assert.ok(edits.length >= 2, `both instances edited the card: ${edits.length}`);
    const last = rowsOf(contentOf(edits.at(-1)));
    const find = (row: Row) => last.find((x) => JSON.stringify(x.items[0]) === JSON.stringify(row.items[0]))!;
    return [find(one), find(two)];
  }

  for (const outcome of ['answered', 'cut'] as const) {
    it(`the edit held on A (then ${outcome}) does not bring back the buttons of the row decided on B`, async () => {
      for (const row of await racedRows(outcome)) {
        assert.ok(row, 'the row is on the card');
        assert.match(JSON.stringify(row), /Approved by Megan Bowen/, `${headingOf(row)} shows its decision`);
        assert.equal(buttonsOf(row).length, 0, `${headingOf(row)} has no buttons for anyone`);
      }
    });
  }
});
