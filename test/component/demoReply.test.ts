// The sandbox's `demo` reply. The cards go to the typer's personal chat (the event's
// target.userId) and to the channels following their categories (README "In the sandbox, type
// `demo`"), whatever conversation `demo` was typed in (the help card invites it in a channel),
// and the delivery worker may post them before this reply: it must not say they "will arrive
// here". A personal card needs the app installed in personal scope, channel posts need the bot in
// the team: https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages

import { strict as assert } from 'node:assert';
import { Rig } from './botRig';
import { rigPerTest } from './rigPerTest';

describe('sandbox demo: the reply says where the cards go', () => {
  let r: Rig;
  const asked: string[] = [];
  rigPerTest(
    (rig) => {
      r = rig;
    },
    {
      silent: true,
      extend: () => ({
        deps: {
          demo: async (aad: string) => {
            asked.push(aad);
            return 4;
          },
        },
      }),
    },
  );

  it('names the personal chat and the channels, and promises no order', async () => {
    const megan = r.user(0);
    const { sent } = await r.message(megan, 'demo');
    const reply = JSON.stringify(sent);
    assert.deepEqual(asked, [megan.aadObjectId]);
    assert.match(reply, /4 notification cards go to your personal chat with Governance Bot/, reply);
    assert.match(reply, /channels that follow their categories/, reply);
    assert.doesNotMatch(reply, /arrive here/, reply);
  });
});
