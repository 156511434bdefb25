// README, "Chat commands": "A message that is only the bot's @mention is answered like `help`", over
// real HTTP in the two conversations where a message reaches the bot only when it @mentions it: a
// group chat and a channel. The answer is the help card a typed `help` gets there (contract §3:
// "help: a card listing every command with an example"), with its summary, and no Graph call. How
// Teams sends a mention (text `<at>…</at>` and a `mention` entity):
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/channel-and-group-conversations

import { strict as assert } from 'node:assert';
import { BOT_APP_ID, RecordedCall, Who, World, cardText, message, post } from './harness';
import { contractSession } from './contractSession';

describe("README: a message that is only the bot's @mention", function () {
  this.timeout(60_000);
  const session = contractSession();
  let world: World;
  let admin: Who;
  // The session's before hook, registered first, has started the world and the bot by now.
  before(() => {
    ({ world, admin } = session);
  });

  /** What the bot answers to `text` sent with the bot's mention entity in a conversation of `kind`. */
  async function answer(kind: 'groupChat' | 'channel', text: string): Promise<RecordedCall> {
    const activity = {
      ...message(world, admin, '', kind),
      text,
      entities: [
        {
          type: 'mention',
          mentioned: { id: `28:${BOT_APP_ID}`, name: 'Governance Bot' },
          text: '<at>Governance Bot</at>',
        },
      ],
    };
    const mark = world.calls.length;
    assert.equal((await post(world, session.bot, activity)).status, 200);
    const conv = (activity.conversation as { id: string }).id;
    return world.waitFor(
      (c) => world.calls.indexOf(c) >= mark && c.conversationId === conv && c.activity.type === 'message',
    );
  }

  for (const kind of ['groupChat', 'channel'] as const) {
    it(`is answered with the help card of a typed help, in a ${kind}`, async () => {
      world.tenant.clearLog();
      const typed = await answer(kind, '<at>Governance Bot</at> help');
      const mentionOnly = await answer(kind, '<p><at>Governance Bot</at>&nbsp;</p>');
      assert.match(cardText(typed), /cancel role-request/, 'typed help is the help card');
      assert.equal(cardText(mentionOnly), cardText(typed), 'the same card as a typed help');
      assert.equal(mentionOnly.activity.summary, typed.activity.summary);
      assert.ok(mentionOnly.activity.summary, 'the reply has its summary');
      assert.equal(world.tenant.graphRequests().length, 0, 'help calls no Graph');
    });
  }
});
