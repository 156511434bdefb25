// A list card paged on with More has a way back: Previous (one page back) and, from the third page
// on, First page (rows 1 to 10). Both show rows the card's snapshot already holds: no Graph read,
// and the rows shown are bound again, so their buttons act. Each button names the page it leads
// to; Universal Actions hands the action's data back with the press, and answers the presser's
// card with the invoke's card while the bot edits the message for everyone.
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/overview
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/work-with-universal-actions-for-adaptive-cards

import { strict as assert } from 'node:assert';
import { Rig, User } from './botRig';
import { ListContent, buttonsOf, headings, listSession, pageButtons, rowsOf, subtitleOf } from './listSession';
import { pressOf } from '../fixtures/pressedData';

/** Fifteen more PIM role requests waiting for Megan: with the seed's, more than three pages. */
function manyRoleRequests(r: Rig): void {
  for (let i = 0; i < 15; i++) {
    r.tenant.addRoleRequest({
      id: `95c690fb-3eb3-4942-a03f-4524aed6f${(0x100 + i).toString(16)}`,
      status: 'PendingApproval',
      roleName: 'Reports Reader',
      principal: 'Adele Vance',
      justification: 'Quarter close',
      duration: 'PT1H',
      approvers: ['Megan Bowen'],
      ageMinutes: 30 + i,
    });
  }
}

const titles = (c: ListContent): string[] => pageButtons(c).map((a) => a.title);
const button = (c: ListContent, title: string): Record<string, unknown> => {
  const found = pageButtons(c).find((a) => a.title === title);
  assert.ok(found, `a ${title} button among ${JSON.stringify(titles(c))}`);
  return found.data;
};

describe('a paged list card goes back to its first rows', () => {
  let r: Rig;
  let megan: User;
  const { list, press } = listSession((rig) => {
    r = rig;
    megan = rig.user(0);
    manyRoleRequests(rig);
  });

  it('Previous and First page show rows already read, with no Graph read, and their buttons act again', async () => {
    const { card, content: page1 } = await list(megan, 'my approvals');
    const first = headings(page1);
    assert.deepEqual(titles(page1), ['More'], 'the first page has no way back');

    const page2 = (await press(megan, card.id!, button(page1, 'More'))).value;
    assert.deepEqual(titles(page2), ['Previous', 'More']);
    assert.match(subtitleOf(page2), /11-20 of/);
    const page3 = (await press(megan, card.id!, button(page2, 'More'))).value;
    assert.deepEqual(titles(page3), ['First page', 'Previous', 'More']);
    assert.match(subtitleOf(page3), /21-30 of/);

    r.tenant.clearLog();
    const back = await press(megan, card.id!, button(page3, 'Previous'));
    assert.equal(back.statusCode, 200);
    assert.deepEqual(headings(back.value), headings(page2), 'Previous shows the page before');
    const top = await press(megan, card.id!, button(page3, 'First page'));
    assert.equal(top.statusCode, 200);
    assert.deepEqual(headings(top.value), first, 'rows 1 to 10 again');
    assert.match(subtitleOf(top.value), /1-10 of/);
    assert.deepEqual(titles(top.value), ['More']);
    assert.deepEqual(r.tenant.graphRequests(), [], 'the way back reads nothing from Graph');

    // The first page's rows are the card's again: a row's Approve acts.
    const approve = buttonsOf(rowsOf(top.value)[0]!)
      .flatMap(pressOf)
      .find((b) => b.title === 'Approve')!.data as Record<string, unknown>;
    const answer = await press(megan, card.id!, approve);
    assert.equal(answer.statusCode, 200, JSON.stringify(answer));
    assert.match(JSON.stringify(answer.value), /Approved by Megan Bowen/);
  });

  it('a page button whose page is not one the bot makes is refused, nothing read', async () => {
    const { card } = await list(megan, 'my approvals');
    r.tenant.clearLog();
    for (const offset of [7, -10, '10', 1e9]) {
      const answer = await press(megan, card.id!, { verb: 'governance.list', list: 'approvals', offset });
      assert.equal(answer.statusCode, 400, `offset ${String(offset)}`);
      assert.match(JSON.stringify(answer.value), /names no page of this list/);
    }
    assert.deepEqual(r.tenant.graphRequests(), []);
  });
});
