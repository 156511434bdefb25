// A list card's page turn that reads Graph's next pages takes a moment; a row decided on the card
// meanwhile (its own press, or a write whose answer came late) records its outcome in the card's
// saved rows. The page turn then saves the card with the page it turned to: it must keep that
// outcome, or the row shows its Approve and Deny again when the card comes back to its page, as
// if it were still waiting. The edit replaces the card for everyone in the conversation:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/update-and-delete-bot-messages

import { strict as assert } from 'node:assert';
import type { WorkItem } from '../../src/domain/myWork';
import { tenantFetch } from '../../src/sandbox/server';
import { ListCards } from '../../src/state/listCards';
import { GRAPH, Rig, User } from './botRig';
import { ListContent, buttonsOf, contentOf, headingOf, pageButtons, rowsOf } from './listSession';
import { rigPerTest } from './rigPerTest';
import { pressOf } from '../fixtures/pressedData';

/** Access package requests waiting for Megan, more than Graph's page of 25: a next page. */
function manyAccessRequests(r: Rig): void {
  for (let i = 0; i < 30; i++) {
    r.tenant.addAccessRequest({
      id: `7999249e-249e-7999-9e24-99799e249${(0x100 + i).toString(16)}`,
      state: 'pendingApproval',
      status: 'PendingApproval',
      accessPackageName: `Package ${i}`,
      requestor: 'Adele Vance',
      requestType: 'userAdd',
      approvers: ['Megan Bowen'],
      ageMinutes: 100 + i,
    });
  }
}

const action = (c: ListContent, title: string) => pageButtons(c).find((a) => a.title === title)?.data;
const subtitleOf = (c: ListContent): string => JSON.stringify(c.body[1]);

describe('a list page turn that reads Graph keeps the rows decided meanwhile', () => {
  let r: Rig;
  let megan: User;
  rigPerTest((rig) => {
    r = rig;
    megan = rig.user(0);
    manyAccessRequests(rig);
  });

  const press = async (cardId: string, data: Record<string, unknown>) => {
    const value = { action: { type: 'Action.Execute', verb: data.verb, data }, trigger: 'manual' };
    const turn = await r.invoke(megan, 'adaptiveCard/action', value, { replyToId: cardId });
    return turn.invoke?.body as { statusCode: number; type: string; value: ListContent };
  };

  it('a row approved while More reads the next page stays approved on the saved card', async () => {
    const { sent } = await r.message(megan, 'my approvals');
    const card = sent.find((a) => a.attachments?.length)!;
    const cardId = card.id!;
    let content = contentOf(card);
    // Paged on to the page whose More reads Graph's next page.
    for (;;) {
      const more = action(content, 'More');
      assert.ok(more, 'a More that needs Graph is reached');
      const [, last, read] = /\d+-(\d+) of (\d+)/.exec(subtitleOf(content)) ?? [];
      if (Number(last) + 10 > Number(read)) break;
      content = (await press(cardId, more)).value;
    }
    const row = rowsOf(content).find((x) => buttonsOf(x).some((b) => b.title === 'Approve'))!;
    assert.ok(row, 'a row to approve on this page');
    const heading = headingOf(row);
    const approve = buttonsOf(row)
      .flatMap(pressOf)
      .find((b) => b.title === 'Approve')!.data as Record<string, unknown>;
    const requestId = String((approve.ids as { requestId?: unknown }).requestId ?? '').toLowerCase();
    await r.bot.idle();

    // More's read of the next pages (one JSON batch) is answered only when the test lets it.
    let release!: () => void;
    const released = new Promise<void>((res) => (release = res));
    let batchSeen = false;
    const graph = tenantFetch(r.tenant, GRAPH);
    r.hold = (req) => {
      if (batchSeen || !new URL(req.url).pathname.endsWith('/$batch')) return null;
      batchSeen = true;
      return released.then(() => graph(req));
    };
    const turning = press(cardId, action(content, 'More')!);
    for (let i = 0; i < 500 && !batchSeen; i++) await new Promise((res) => setTimeout(res, 10));
    assert.ok(batchSeen, 'More is reading the next page');

    // The row is approved meanwhile, from the same card.
    const approved = await press(cardId, approve);
    assert.equal(approved.statusCode, 200, approved.type);
    assert.match(JSON.stringify(approved.value), /Approved by Megan Bowen/);

    release();
    const turned = await turning;
    assert.equal(turned.statusCode, 200, turned.type);
    await r.bot.idle();

    const saved = await new ListCards<WorkItem>(r.state.records).get(card.conversation!.id, cardId);
    assert.ok(saved?.outcomes[requestId], 'the approved row keeps its outcome in the saved card');

    // Back on the row's page, it shows its outcome, not its buttons.
    const back = await press(cardId, action(turned.value, 'Previous')!);
    const again = rowsOf(back.value).find((x) => headingOf(x) === heading)!;
    assert.ok(again, 'the row is back on screen');
    assert.equal(
      buttonsOf(again).some((b) => b.title === 'Approve'),
      false,
      'the approved row shows no Approve',
    );
    assert.match(JSON.stringify(back.value), /Approved by Megan Bowen/);
  });
});
