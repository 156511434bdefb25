// "sign out" over real HTTP with two instances of the bot on one shared state store, as several
// App Service instances run behind one endpoint: each keeps users' tokens in its own memory
// (contract §5.4), and a user's activities may reach any of them. The answer to "sign out" says the
// bot no longer holds a token for the user; the instance that exchanged it must not keep using it.

import { strict as assert } from 'node:assert';
import {
  BotProcess,
  RecordedCall,
  Who,
  World,
  cardText,
  invoke,
  isCard,
  message,
  post,
  startBot,
  startWorld,
  userOf,
} from './harness';

describe('security: sign out reaches every instance', function () {
  this.timeout(60_000);
  let world: World;
  let first: BotProcess;
  let second: BotProcess;
  let admin: Who;

  before(async () => {
    world = await startWorld();
    // The same environment, so the same state directory: two instances of one deployment.
    const env = world.botEnv();
    first = await startBot(world, env);
    second = await startBot(world, env);
    admin = userOf(world.seed, 0);
  });
  after(async () => {
    await first?.stop();
    await second?.stop();
    await world?.close();
  });

  /** Sends `text` to one instance and returns the next message the bot posts in that chat. */
  const say = async (bot: BotProcess, text: string): Promise<RecordedCall> => {
    const activity = message(world, admin, text);
    const mark = world.calls.length;
    const res = await post(world, bot, activity);
    assert.equal(res.status, 200, res.body);
    return world.waitFor(
      (c) =>
        world.calls.indexOf(c) >= mark &&
        c.conversationId === activity.conversation.id &&
        c.activity.type === 'message',
    );
  };

  // A cancel of a request that does not exist needs a token and changes nothing.
  const needsToken = 'cancel group-request 00000000-0000-0000-0000-00000000000a';

  it('asks to sign in again on the instance that held the token, after "sign out" on another', async () => {
    const card = await say(first, needsToken);
    assert.ok(isCard(card, 'application/vnd.microsoft.card.oauth'), 'the first command asks to sign in');
    const { id } = (card.activity.attachments as Array<{ content: { tokenExchangeResource: { id: string } } }>)[0]!
      .content.tokenExchangeResource;
    const token = world.tenant.issueSsoToken(admin.aadObjectId, world.seed.app.clientId);
    const mark = world.calls.length;
    const exchanged = await post(
      world,
      first,
      invoke(world, admin, 'signin/tokenExchange', { id, connectionName: '', token }),
    );
    assert.equal(exchanged.status, 200, exchanged.body);
    const ran = await world.waitFor((c) => world.calls.indexOf(c) >= mark && c.activity.type === 'message');
    assert.match(cardText(ran), /no longer exists/, 'the command ran as the signed-in user');
    assert.ok(!isCard(await say(first, needsToken), 'application/vnd.microsoft.card.oauth'), 'the token is kept');

    assert.match(cardText(await say(second, 'sign out')), /Signed out/);

    const after = await say(first, needsToken);
    assert.ok(isCard(after, 'application/vnd.microsoft.card.oauth'), 'the instance that held the token asks again');
  });
});
