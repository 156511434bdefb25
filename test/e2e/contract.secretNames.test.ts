// Contract §2 (../shared/contract.md), written from the contract alone: "A secret may also come from
// `SECRET_<NAME>` (the value itself; the plain name wins when both are set)". The SSO app's secret is
// the one the on-behalf-of exchange presents to Entra (§5.3), so a sign-in that works proves which
// value the bot took: the simulated tenant refuses a wrong client secret as Entra does.

import { strict as assert } from 'node:assert';
import { BotProcess, World, cardText, invoke, isCard, message, post, startBot, startWorld, userOf } from './harness';

describe('contract §2: a secret from SECRET_<NAME>, the plain name winning', function () {
  this.timeout(60_000);
  let world: World;
  let bot: BotProcess | undefined;

  before(async () => {
    world = await startWorld();
  });

  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
  });

  after(async () => {
    await world.close();
  });

  /** Sends a cancel as the admin, answers the OAuth card with the SSO token, and returns the status
   * of that exchange and the bot's next message in the chat. */
  async function signInAndCancel(b: BotProcess): Promise<{ status: number; text: string }> {
    const admin = userOf(world.seed, 0);
    const activity = message(world, admin, 'cancel group-request 00000000-0000-0000-0000-00000000000a');
    const conv = activity.conversation.id;
    let mark = world.calls.length;
    assert.equal((await post(world, b, activity)).status, 200);
    const card = await world.waitFor((c) => world.calls.indexOf(c) >= mark && c.conversationId === conv);
    assert.ok(isCard(card, 'application/vnd.microsoft.card.oauth'), 'an OAuth card first');
    const id = (card.activity.attachments as Array<{ content: { tokenExchangeResource: { id: string } } }>)[0]!.content
      .tokenExchangeResource.id;
    const token = world.tenant.issueSsoToken(admin.aadObjectId, world.seed.app.clientId);
    mark = world.calls.length;
    const res = await post(world, b, invoke(world, admin, 'signin/tokenExchange', { id, connectionName: '', token }));
    const next = await world.waitFor(
      (c) => world.calls.indexOf(c) >= mark && c.conversationId === conv && c.activity.type === 'message',
    );
    return { status: res.status, text: cardText(next) };
  }

  it('signs in with the SSO secret given only as SECRET_AAD_APP_CLIENT_SECRET', async () => {
    const env = world.botEnv({ SECRET_AAD_APP_CLIENT_SECRET: world.seed.app.clientSecret });
    delete env.AAD_APP_CLIENT_SECRET;
    bot = await startBot(world, env);
    const { status, text } = await signInAndCancel(bot);
    assert.equal(status, 200, text);
    assert.match(text, /no longer exists/, 'the command ran as the signed-in user');
  });

  it('signs in with AAD_APP_CLIENT_SECRET when SECRET_AAD_APP_CLIENT_SECRET holds another value', async () => {
    bot = await startBot(world, world.botEnv({ SECRET_AAD_APP_CLIENT_SECRET: 'not-the-secret' }));
    const { status, text } = await signInAndCancel(bot);
    assert.equal(status, 200, text);
    assert.match(text, /no longer exists/, 'the command ran as the signed-in user');
  });
});
