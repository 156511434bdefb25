// The bot verifies the Bot Connector's token once and takes it from memory for later activities
// (src/bot/verifiedTokens.ts); over real HTTP with inbound JWT validation on, that reuse never
// accepts what verifying would refuse. A token accepted for one activity is refused for an
// activity from another channel (its signing key endorses msteams only) or naming another service
// URL (its serviceurl claim): both are checks on the activity, not on the token alone.
// https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-authentication#step-4-verify-the-jwt-token
// (endorsements: "the channel ID of the activity ... must be present in the endorsements"; "the
// token contains a serviceUrl claim with value that matches the serviceUrl property at the root of
// the Activity"); an activity without a channel id is refused before either.

import { strict as assert } from 'node:assert';
import { BotProcess, Who, World, message, startBot, startWorld, userOf } from './harness';

describe('inbound tokens verified once, over HTTP', function () {
  this.timeout(60_000);
  let world: World;
  let bot: BotProcess;
  let who: Who;

  before(async () => {
    world = await startWorld();
    bot = await startBot(world, world.botEnv());
    who = userOf(world.seed, 0);
  });
  after(async () => {
    await bot?.stop();
    await world?.close();
  });

  /** Posts `activity` with the given Authorization header, not one signed for it. */
  const postWith = async (authorization: string, activity: Record<string, unknown>) => {
    const res = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify(activity),
    });
    return res.status;
  };

  it('takes the same token again for the same channel and service URL', async () => {
    const first = message(world, who, 'help');
    const header = world.sign(first)!;
    assert.equal(await postWith(header, first), 200);
    const mark = world.calls.length;
    assert.equal(await postWith(header, message(world, who, 'help')), 200);
    assert.ok(world.calls.length > mark, 'the second activity was answered through the connector');
  });

  it('refuses that token for an activity from another channel, after accepting it', async () => {
    const first = message(world, who, 'help');
    const header = world.sign(first)!;
    assert.equal(await postWith(header, first), 200);
    const mark = world.calls.length;
    // 403: "If the endorsement isn't present, your bot should reject the request by returning an
    // HTTP 403 (Forbidden) status code" (#connector-to-bot-step-3; README "How a command runs").
    assert.equal(await postWith(header, { ...message(world, who, 'help'), channelId: 'webchat' }), 403);
    assert.equal(world.calls.length, mark, 'nothing was sent');
  });

  it('refuses that token for an activity naming another service URL, after accepting it', async () => {
    const first = message(world, who, 'help');
    const header = world.sign(first)!;
    assert.equal(await postWith(header, first), 200);
    const mark = world.calls.length;
    const elsewhere = { ...message(world, who, 'help'), serviceUrl: `${world.serviceUrl}elsewhere/` };
    assert.equal(await postWith(header, elsewhere), 401);
    assert.equal(world.calls.length, mark, 'nothing was sent');
  });

  it('refuses an activity without a channel id (missing, null or empty) with 400, before and after its token was accepted', async () => {
    // botframework-connector skips the key endorsement check for a null channelId and throws on a
    // missing one: the envelope check refuses both, so neither a kept verification nor a 500 answers.
    const first = message(world, who, 'help');
    const header = world.sign(first)!;
    const without = (channelId: unknown) => ({ ...message(world, who, 'help'), channelId });
    const mark = world.calls.length;
    assert.equal(await postWith(header, without(undefined)), 400);
    assert.equal(await postWith(header, without(null)), 400);
    assert.equal(await postWith(header, first), 200);
    for (const channelId of [undefined, null, '']) assert.equal(await postWith(header, without(channelId)), 400);
    assert.equal(world.calls.length, mark + 1, 'only the activity with its channel id was answered');
  });
});
