// A row's Approve on a "my approvals" list card whose write Graph answers after the click had to
// answer ("Graph has not answered yet"): the edit for everyone made when Graph's late answer comes
// takes its place in the card's line of edits (cardEdits.ts), like the edit of any other row. Here
// the late edit's turn has recorded its row and is replacing the card when a second row is decided
// and its edit's turn starts: the card everyone ends up seeing must show both rows decided, not the
// late edit's older list. An edit replaces the card for everyone in the conversation
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/update-and-delete-bot-messages),
// and a bot that has not answered an invoke in time loses it
// (https://learn.microsoft.com/azure/bot-service/bot-builder-howto-long-operations-guidance), so the
// click answers before Graph does.

import { strict as assert } from 'node:assert';
import { ConversationReference, TurnContext } from 'botbuilder';
import { tenantFetch } from '../../src/sandbox/server';
import { GRAPH, Rig } from './botRig';
import { ListContent, buttonsOf, contentOf, headingOf, rowsOf } from './listSession';
import { rigPerTest } from './rigPerTest';
import { pressOf } from '../fixtures/pressedData';

const LATE = 'PIM for Groups · Finance approvers';

/** Resolves once `check` holds, looking every few milliseconds (at most 5 s). */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((res) => setTimeout(res, 10));
  assert.ok(check(), what);
}

describe('my approvals: the edit made when Graph answers a row late takes its place in line', () => {
  let rig: Rig;
  /** Background turns held until the test starts them. */
  const held: Array<() => void> = [];
  rigPerTest(
    (r) => {
      rig = r;
      held.length = 0;
    },
    {
      silent: true,
      // A click answers after half a second while its write goes on.
      budgetMs: 500,
      extend: (r) => ({
        deps: {
          proactive: (reference: Partial<ConversationReference>, logic: (ctx: TurnContext) => Promise<void>) =>
            new Promise<void>((res, rej) => held.push(() => void r.proactive(reference, logic).then(res, rej))),
        },
      }),
    },
  );

  async function press(cardId: string, data: Record<string, unknown>) {
    const value = { action: { type: 'Action.Execute', verb: data.verb, data }, trigger: 'manual' };
    const turn = await rig.invoke(rig.user(0), 'adaptiveCard/action', value, { replyToId: cardId });
    return turn.invoke?.body as { statusCode: number; value: ListContent };
  }

  it('a row decided while the late edit is replacing the card stays decided for everyone', async () => {
    const megan = rig.user(0);
    const { sent } = await rig.message(megan, 'my approvals');
    const card = sent.find((a) => a.attachments?.length)!;
    const rows = rowsOf(contentOf(card));
    const approveOn = (heading: string) =>
      buttonsOf(rows.find((r) => headingOf(r) === heading)!)
        .flatMap(pressOf)
        .find((b) => b.title === 'Approve')!.data as Record<string, unknown>;
    const other = rows.map(headingOf).find((h) => h !== LATE && approveOn(h))!;
    assert.ok(other, 'a second row to approve');

    // Graph answers the first row's PATCH only when the test lets it.
    let answer!: () => void;
    const answered = new Promise<void>((res) => (answer = res));
    const graph = tenantFetch(rig.tenant, GRAPH);
    let heldWrite = false;
    rig.hold = (req) => {
      if (heldWrite || req.method !== 'PATCH') return null;
      heldWrite = true;
      return answered.then(() => graph(req));
    };
    const pending = await press(card.id!, approveOn(LATE));
    assert.match(JSON.stringify(pending.value), /has not answered yet/, 'the click answered before Graph');

    answer();
    await until(() => held.length === 1, 'Graph’s late answer asks for an edit for everyone');

    // The late edit's turn replaces the card; its update is held until the test lets it through.
    let reached!: () => void;
    const replacing = new Promise<void>((res) => (reached = res));
    let letThrough!: () => void;
    const through = new Promise<void>((res) => (letThrough = res));
    let first = true;
    rig.adapter.use(async (ctx, next) => {
      ctx.onUpdateActivity(async (_c, _activity, update) => {
        if (first) {
          first = false;
          reached();
          await through;
        }
        return update();
      });
      await next();
    });
    held[0]!();
    await replacing;

    // Meanwhile the second row is approved; its edit's turn starts at once.
    const decided = await press(card.id!, approveOn(other));
    assert.match(JSON.stringify(decided.value), /Approved by Megan Bowen/);
    await until(() => held.length === 2, 'the second row asks for an edit for everyone');
    held[1]!();
    await new Promise((res) => setTimeout(res, 50));
    letThrough();
    await rig.bot.idle();

    const edits = rig.updates.filter((u) => u.id === card.id);
    assert.ok(edits.length >= 1, 'everyone sees the card change');
    const last = rowsOf(contentOf(edits.at(-1)));
    for (const heading of [LATE, other]) {
      const row = last.find((r) => headingOf(r) === heading)!;
      assert.match(JSON.stringify(row), /Approved by Megan Bowen/, `${heading} shows its decision for everyone`);
      assert.equal(buttonsOf(row).length, 0, `${heading} has no buttons for anyone`);
    }
  });
});
