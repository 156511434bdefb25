// A pressed card in a channel says who decided it, for every member, with the presser's name as
// Teams gave it (activity.from.name: ChannelAccount.name, "Display friendly name":
// https://learn.microsoft.com/en-us/javascript/api/botframework-schema/channelaccount). A
// bidirectional override there would make the card read otherwise than it is ("Trojan Source",
// CVE-2021-42574) and a control character shows as a box: the name is shown as the other names
// from the directory are (domain/shownNames.ts), without them.

import { strict as assert } from 'node:assert';
import { rowClick } from '../../src/bot/listRowChecks';
import { createReplyCards } from '../../src/bot/replyCards';
import type { Outcome } from '../../src/domain/governance';
import { FINANCE_REPORTS, approveOf, twoStageCard } from './twoStageCard';

describe("card press: the presser's name as Teams gave it", () => {
  const card = twoStageCard(approveOf('decideAccessPackageApproval', FINANCE_REPORTS));

  it('a bidirectional override or a control character in it is left out of the card', async () => {
    const r = card.rig();
    const megan = { ...r.user(0), name: 'Megan\u202E Bowen\u0007' };
    const text = JSON.stringify(await card.pressApprove(megan));
    assert.doesNotMatch(text, /\u202E|\\u202e|\\u0007/i, text.slice(0, 2000));
    assert.match(text, /by Megan Bowen/, text.slice(0, 2000));
  });

  // A typed command's answer names its sender the same way (a command typed in a channel is
  // answered for all to read).
  it("a typed command's result card leaves them out too", () => {
    const outcome: Outcome = {
      ok: true,
      target: approveOf('decideAccessPackageApproval', FINANCE_REPORTS),
      graph: { status: 204, requestId: 'req-9' },
      correlationId: 'corr-1',
      confirmedByRead: false,
    };
    const reply = createReplyCards({ cloud: 'global', examples: null }).outcome(outcome, 'Megan\u202E Bowen\u0007');
    const text = JSON.stringify(reply);
    assert.doesNotMatch(text, /\u202E|\\u202e|\\u0007/i, text);
    assert.match(text, /Megan Bowen/, text);
  });

  // A list row's press (a list card in a group chat or a channel): the decision it records is shown
  // "by" the same name.
  it("a list row's press carries the name without them", () => {
    const click = rowClick(
      {
        target: approveOf('decideAccessPackageApproval', FINANCE_REPORTS),
        conversationId: 'c',
        cardId: 'card-1',
        actor: { aadObjectId: 'aad-megan', getToken: async () => 't' },
        userName: 'Megan\u202E Bowen\u0007',
        via: 'execute',
        arrivedAt: 0,
      },
      null,
    );
    assert.equal(click.userName, 'Megan Bowen');
  });
});
