// Contract §3 (../shared/contract.md) over real HTTP: "Anything else gets a short error card with the
// closest valid usage, and no Graph call." A misspelt keyword is answered with the usage it was
// closest to, not with the list of every command (which is what `help` is for). A space left out
// or typed as a hyphen ("myapprovals", "cancel-run") is a slip of one key too (README, "Chat
// commands": "a slip of a key or two").

import { strict as assert } from 'node:assert';
import { Who, World, cardText } from './harness';
import { contractSession } from './contractSession';

describe('contract: the closest valid usage', function () {
  this.timeout(60_000);
  const session = contractSession();
  const { say, run } = session;
  let world: World;
  let admin: Who;
  // The session's before hook, registered first, has started the world and the bot by now.
  before(() => {
    ({ world, admin } = session);
  });

  for (const [typed, closest] of [
    ['cancle role-request 95c690fb-3eb3-4942-a03f-4524aed6f31e', 'cancel role-request <requestId>'],
    ['my approval', 'my approvals'],
    ['myapprovals', 'my approvals'],
    ['MyRequests', 'my requests'],
    ['cancel-role-request 95c690fb-3eb3-4942-a03f-4524aed6f31e', 'cancel role-request <requestId>'],
    ['cancel role request 95c690fb-3eb3-4942-a03f-4524aed6f31e', 'cancel role-request <requestId>'],
  ] as const) {
    it(`answers "${typed}" with the usage "${closest}" and not every command`, async () => {
      await run(admin, 'help');
      world.tenant.clearLog();
      const { reply } = await say(admin, typed);
      const card = cardText(reply);
      assert.ok(card.includes(closest), `offers ${closest}`);
      // Usages of other commands, none of them close to what was typed.
      for (const unrelated of [
        'reject task <workflowId>',
        'cancel run <workflowId>',
        'deny group-request <requestId>',
        'cancel group-request <requestId>',
      ]) {
        assert.ok(!card.includes(unrelated), `a short card: it does not list ${unrelated}`);
      }
      assert.equal(world.tenant.graphRequests().length, 0);
    });
  }
});
