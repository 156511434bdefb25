// The outside contract (../shared/contract.md) in the US Government L4 cloud (CLOUD=usgov): an
// operation Graph does not offer there is refused with an explanation, without a Graph call, and its
// audit line says why. The server runs as in production with inbound JWT validation on.

import { strict as assert } from 'node:assert';
import { BotProcess, World, cardText, invoke, isCard, message, post, startBot, startWorld, userOf } from './harness';

describe('cloud gating (CLOUD=usgov)', function () {
  this.timeout(60_000);
  let world: World;
  let bot: BotProcess;
  before(async () => {
    world = await startWorld();
    bot = await startBot(world, world.botEnv({ CLOUD: 'usgov' }));
  });
  after(async () => {
    await bot?.stop();
    await world?.close();
  });

  it('refuses the workflow-run cancel with an explanation and no Graph call', async () => {
    const admin = userOf(world.seed, 0);
    const ex = world.seed.examples;
    const activity = message(world, admin, `cancel run ${ex.workflowId} ${ex.runId}`);
    assert.equal((await post(world, bot, activity)).status, 200);
    let reply = await world.waitFor((c) => c.activity.type === 'message');
    if (isCard(reply, 'application/vnd.microsoft.card.oauth')) {
      const id = (reply.activity.attachments as Array<{ content: { tokenExchangeResource: { id: string } } }>)[0]!
        .content.tokenExchangeResource.id;
      const mark = world.calls.length;
      const token = world.tenant.issueSsoToken(admin.aadObjectId, world.seed.app.clientId);
      assert.equal(
        (await post(world, bot, invoke(world, admin, 'signin/tokenExchange', { id, connectionName: '', token })))
          .status,
        200,
      );
      reply = await world.waitFor((c) => world.calls.indexOf(c) >= mark && c.activity.type === 'message');
    }
    assert.match(cardText(reply), /not offer/);
    assert.match(cardText(reply), /US Government L4/);
    // Not a pause: once the bot has stopped, having finished all it was doing, nothing can follow.
    await bot.drain();
    assert.equal(world.tenant.graphRequests().length, 0);
    const lines = bot.lines().filter((l) => l.event === 'governance.action');
    assert.equal(lines.length, 1, JSON.stringify(lines));
    const line = lines[0]!;
    assert.equal(line.errorCode, 'NOT_AVAILABLE_IN_CLOUD');
    assert.equal(line.graphStatus, null);
  });
});
