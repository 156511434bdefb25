// A newcomer learns the commands from `help` (README, "Chat commands"; contract §3: "help: a card
// listing every command with an example"). The channel alert commands `alerts`, `alerts on
// <category>` and `alerts off <category>` are commands of contract §3 too, so the help card a
// channel's members see names them, over real HTTP.

import { strict as assert } from 'node:assert';
import { Who, World, cardText } from './harness';
import { contractSession } from './contractSession';

describe('help, as a newcomer reads it', function () {
  this.timeout(60_000);
  const session = contractSession();
  const { say } = session;
  let world: World;
  let admin: Who;
  // The session's before hook, registered first, has started the world and the bot by now.
  before(() => {
    ({ world, admin } = session);
  });

  for (const kind of ['personal', 'channel'] as const) {
    it(`lists the channel alert commands, with an example, in a ${kind} conversation`, async () => {
      const { reply } = await say(admin, 'help', kind);
      const card = cardText(reply);
      for (const usage of ['alerts on <category>', 'alerts off <category>', 'e.g. alerts on role-requests']) {
        assert.ok(card.includes(usage), `help names ${usage}`);
      }
      assert.match(card, /In a team channel/);
      assert.equal(world.tenant.graphRequests().length, 0, 'help calls no Graph');
    });
  }
});
