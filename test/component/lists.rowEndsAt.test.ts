// A list row's buttons never carry an approval moment (listCards.ts builds them from the work item,
// targetOf: operation and request id only). A row press whose data carries one anyway was not made
// by the bot: it is refused as input that does not parse, at once, with words saying so, nothing
// read or sent and no audit line (contract §6: "input that does not parse writes none"), rather than
// being taken as an ended approval, audited twice and answered with an empty notice.
// Action.Execute data comes back to the bot as the card put it
// (https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/work-with-universal-actions-for-adaptive-cards),
// so anything else in it is the sender's.

import { strict as assert } from 'node:assert';
import { NO_MOMENT } from '../../src/bot/cardActions';
import { Rig, User } from './botRig';
import { buttonsOf, listSession, rowsOf } from './listSession';
import { pressOf } from '../fixtures/pressedData';

describe('list row press carrying an approval moment', () => {
  let rig: Rig;
  let megan: User;
  const { list, press } = listSession((r) => {
    rig = r;
    megan = rig.user(0);
  });

  for (const endsAt of [1, Date.now() + 3_600_000]) {
    it(`is refused as a button the bot never made (endsAt ${endsAt > 1 ? 'ahead' : 'past'})`, async () => {
      const { card, content } = await list(megan, 'my approvals');
      const approve = buttonsOf(rowsOf(content)[0]!)
        .flatMap(pressOf)
        .find((b) => b.title === 'Approve')!.data as Record<string, unknown>;
      assert.equal(approve.endsAt, undefined, 'the row button the bot made carries no moment');
      const before = rig.logs.length;
      const sentBefore = rig.tenant.graphRequests().length;
      const answer = await press(megan, card.id!, { ...approve, endsAt });
      const audits = rig.logs.slice(before).filter((l) => l.event === 'governance.action');
      assert.equal(answer.statusCode, 400, JSON.stringify(answer).slice(0, 300));
      assert.match(JSON.stringify(answer.value), new RegExp(NO_MOMENT.replace(/\./g, '\\.')));
      assert.equal(audits.length, 0, 'input that does not parse writes no audit line');
      assert.equal(rig.tenant.graphRequests().length, sentBefore, 'nothing read or sent');
    });
  }
});
