// Contract §3 (../shared/contract.md), written from the contract alone: in a channel the bot is
// @mentioned and "the mention is stripped"; "Anything else gets a short error card with the closest
// valid usage, and no Graph call". A cancel followed by the @mention of another person is not one of
// the command forms (the bot refuses other trailing words, e.g. `cancel role-request <id> please`),
// so it must not reach Graph. How Teams sends mentions (text `<at>…</at>` and a `mention` entity
// per person): https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/channel-and-group-conversations

import { strict as assert } from 'node:assert';
import { BOT_APP_ID, Who, World, message, post } from './harness';
import { contractSession } from './contractSession';

describe('contract §3: only the bot’s own mention is stripped', function () {
  this.timeout(60_000);
  const session = contractSession();
  let world: World;
  let admin: Who;
  // The session's before hook, registered first, has started the world and the bot by now.
  before(() => {
    ({ world, admin } = session);
  });

  it('does not run a cancel followed by the mention of another person', async () => {
    await session.signIn(admin);
    world.tenant.clearLog();
    const requestId = world.seed.examples.groupRequestId;
    const other = { id: '29:adele', name: 'Adele Vance' };
    const activity = {
      ...message(world, admin, '', 'channel'),
      text: `<at>Governance Bot</at> cancel group-request ${requestId} <at>Adele Vance</at>`,
      entities: [
        {
          type: 'mention',
          mentioned: { id: `28:${BOT_APP_ID}`, name: 'Governance Bot' },
          text: '<at>Governance Bot</at>',
        },
        { type: 'mention', mentioned: other, text: '<at>Adele Vance</at>' },
      ],
    };
    const mark = world.calls.length;
    assert.equal((await post(world, session.bot, activity)).status, 200);
    const conv = (activity.conversation as { id: string }).id;
    const reply = await world.waitFor(
      (c) => world.calls.indexOf(c) >= mark && c.conversationId === conv && c.activity.type === 'message',
    );
    assert.deepEqual(
      world.tenant.graphRequests().map((r) => `${r.method} ${r.path}`),
      [],
      `no Graph call; the bot answered "${String(reply.activity.summary)}"`,
    );
  });
});
