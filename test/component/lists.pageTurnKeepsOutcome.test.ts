// A row decided while More reads Graph's next page stays decided. More reads the card's kept list,
// reads Graph, then keeps the list with the new page on screen; a row's outcome recorded between
// the two (its Approve pressed meanwhile) must not be lost with it, or the row would show its
// buttons again for everyone the next time the card shows it. A card's update replaces the message
// for everyone in the conversation
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/update-and-delete-bot-messages),
// so what the kept list says is what everyone sees.

import { strict as assert } from 'node:assert';
import { tenantFetch } from '../../src/sandbox/server';
import { GRAPH, Rig, User } from './botRig';
import { ListContent, buttonsOf, contentOf, headingOf, listSession, rowsOf } from './listSession';

/** More access package requests waiting for Megan than one page of Graph's (25): a next page. */
function manyAccessRequests(r: Rig): void {
  for (let i = 0; i < 30; i++) {
    r.tenant.addAccessRequest({
      id: `7999249e-249e-7999-9e24-99799e249${(0x100 + i).toString(16)}`,
      state: 'pendingApproval',
      status: 'PendingApproval',
      accessPackageName: 'Finance reports',
      requestor: 'Adele Vance',
      requestType: 'userAdd',
      approvers: ['Megan Bowen'],
      ageMinutes: 100 + i,
    });
  }
}

const button = (c: ListContent, title: string) => c.actions?.find((a) => a.title === title)?.data;
const subtitleOf = (c: ListContent): string => JSON.stringify(c.body[1]);

describe('a row decided while More reads Graph stays decided', () => {
  let r: Rig;
  let megan: User;
  const { list, press } = listSession((rig) => {
    r = rig;
    megan = rig.user(0);
    manyAccessRequests(rig);
  });

  it('the list kept after the page turn still has the row’s outcome: no buttons when shown again', async () => {
    await r.signIn(megan);
    const { card } = await list(megan, 'my approvals');
    const cardId = card.id!;
    // Page on while the rows read so far fill the next page, up to the More that reads Graph.
    let page = contentOf(card);
    for (;;) {
      const [, last, read] = /\d+-(\d+) of (\d+)/.exec(subtitleOf(page)) ?? [];
      if (Number(last) + 10 > Number(read)) break;
      page = (await press(megan, cardId, button(page, 'More')!)).value;
    }
    const row = rowsOf(page).find((x) => buttonsOf(x).some((b) => b.title === 'Approve'))!;
    assert.ok(row, 'a row to approve on the page on screen');
    const heading = headingOf(row);

    // Graph's next page is answered only when the test lets it.
    let reached!: () => void;
    const reading = new Promise<void>((res) => (reached = res));
    let answer!: () => void;
    const answered = new Promise<void>((res) => (answer = res));
    const graph = tenantFetch(r.tenant, GRAPH);
    r.hold = (req) =>
      req
        .clone()
        .text()
        .then(async (body) => {
          if (/skiptoken/i.test(`${req.url} ${body}`)) {
            reached();
            await answered;
          }
          return graph(req);
        });
    const more = press(megan, cardId, button(page, 'More')!);
    await reading;

    const approve = buttonsOf(row).find((b) => b.title === 'Approve')!.data as Record<string, unknown>;
    const decided = await press(megan, cardId, approve);
    assert.match(JSON.stringify(decided.value), /Approved by Megan Bowen/, 'the row is decided');
    await r.bot.idle();

    answer();
    const next = (await more).value;
    r.hold = null;
    await r.bot.idle();
    const back = (await press(megan, cardId, button(next, 'Previous')!)).value;
    const shown = rowsOf(back).find(
      (x) => headingOf(x) === heading && /Approved by Megan Bowen/.test(JSON.stringify(x)),
    );
    assert.ok(shown, `the row shows its decision: ${JSON.stringify(rowsOf(back).map(headingOf))}`);
    assert.equal(buttonsOf(shown).length, 0, 'and no buttons for anyone');
  });
});
