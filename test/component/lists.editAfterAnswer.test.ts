// A row's Approve on a "my approvals" list card answers the clicker at once; the edit of the list
// card for everyone (updateActivity) comes after the answer, as for a notification card
// (cardClicks.editAfterAnswer.test.ts): Teams gives an invoke about 5 s before its client retries
// (https://learn.microsoft.com/microsoftteams/platform/messaging-extensions/how-to/action-commands/respond-to-task-module-submit)
// and Azure Bot Service gives up on a bot after 10 to 15 s
// (https://learn.microsoft.com/azure/bot-service/bot-builder-howto-long-operations-guidance), while a
// click may spend 8 s on Graph and an edit has a 15 s deadline of its own. The edit shows the list
// as kept when it is made, so a later row's outcome is never hidden by an earlier edit.

import { strict as assert } from 'node:assert';
import { Rig, User } from './botRig';
import { holdUpdates } from './heldUpdates';
import { buttonsOf, contentOf, headingOf, listSession, rowsOf } from './listSession';
import { pressOf } from '../fixtures/pressedData';

describe('my approvals: the edit of the list for everyone after the answer', () => {
  let rig: Rig;
  let megan: User;
  const { list, press } = listSession((r) => {
    rig = r;
    megan = rig.user(0);
  });

  it('a row’s Approve is answered while the edit hangs, and the edit shows every decided row', async () => {
    const { card, content } = await list(megan, 'my approvals');
    const approveOf = (heading: string) =>
      buttonsOf(rowsOf(content).find((r) => headingOf(r) === heading)!)
        .flatMap(pressOf)
        .find((b) => b.title === 'Approve')!.data as Record<string, unknown>;
    const hold = holdUpdates(rig);

    const pressed = press(megan, card.id!, approveOf('PIM for Groups · Finance approvers'));
    const first = await Promise.race([
      pressed.then(() => 'answered' as const),
      hold.reached.then(() => new Promise<'waited'>((res) => setTimeout(() => res('waited'), 200))),
    ]);
    // Before the change the answer waited for the edit, so the race was lost to the hold.
    assert.equal(first, 'answered', 'the clicker is answered before the edit for everyone ends');
    const answer = await pressed;
    assert.equal(answer.statusCode, 200);
    assert.match(JSON.stringify(answer.value), /Approved by Megan Bowen/);

    hold.release();
    await rig.bot.idle();
    const edits = rig.updates.filter((u) => u.id === card.id);
    assert.ok(edits.length >= 1, 'everyone sees the list card change once the edit goes through');
    const shown = rowsOf(contentOf(edits.at(-1))).find((r) => headingOf(r) === 'PIM for Groups · Finance approvers')!;
    assert.match(JSON.stringify(shown), /Approved by Megan Bowen/);
    assert.equal(buttonsOf(shown).length, 0, 'the decided row has no buttons for anyone');
  });
});
