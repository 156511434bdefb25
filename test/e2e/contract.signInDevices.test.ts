// Contract §5.3 (../shared/contract.md), written from the contract alone: on `signin/tokenExchange`
// "The bot exchanges `token` on behalf of the user ... Success: it answers the invoke 200 and then
// runs the remembered command. Failure (consent missing, MFA required, expired): it answers 412".
// One person's Teams clients (desktop and phone) each answer the OAuth card with their own SSO
// token, at the same time. When Entra refuses the first to arrive (its token expired: AADSTS500133)
// and accepts the second, the second is an exchange that succeeds: it must be answered 200 and the
// command must run (once). Microsoft's own de-duplication of these exchanges (botbuilder's
// TeamsSSOTokenExchangeMiddleware) exchanges each token first and de-duplicates only the successful
// ones, "because in the case of failure due to consent required, every caller needs to receive" the
// 412; the Teams SSO guide that describes the exchange and the 412:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code
//
// To have the two exchanges overlap without depending on timing, the bot reaches Entra's token
// endpoint through a loopback proxy that holds the first token request until a second one arrives
// (a bot that exchanges the second token too) or, failing that, until the second exchange has been
// sent and a moment has passed (a bot that never tries it), and then answers it as Entra answers an
// on-behalf-of request whose assertion expired (400 invalid_grant, AADSTS500133:
// https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes).

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EntraProxy, startEntraProxy } from './entraProxy';
import {
  BotProcess,
  RecordedCall,
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

const EXPIRED_ASSERTION = {
  error: 'invalid_grant',
  error_description: 'AADSTS500133: Assertion is not within its valid time range.',
  error_codes: [500133],
};

describe('contract §5.3: a fresh token exchange is not refused for a stale one of the same user', function () {
  this.timeout(60_000);
  let world: World;
  let bot: BotProcess;
  let proxy: EntraProxy | undefined;
  let dir: string;
  /** Token requests held by the proxy, released together. */
  const held: Array<() => void> = [];
  let tokenRequests = 0;
  let releaseTimer: NodeJS.Timeout | undefined;

  const releaseAll = () => {
    if (releaseTimer) clearTimeout(releaseTimer);
    for (const go of held.splice(0)) go();
  };

  before(async () => {
    world = await startWorld();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-devices-'));
    proxy = await startEntraProxy(world, dir, (reply, forward) => {
      tokenRequests++;
      if (tokenRequests === 1) {
        held.push(() => reply(400, EXPIRED_ASSERTION));
        return;
      }
      releaseAll();
      forward();
    });
    bot = await startBot(world, world.botEnv(proxy.env));
  });

  after(async () => {
    releaseAll();
    await bot?.stop();
    await proxy?.close();
    await world?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers the fresh exchange 200 and runs the command once, though a stale one came first', async () => {
    const admin = userOf(world.seed, 0);
    const requestId = world.seed.examples.roleRequestId;
    const typed = message(world, admin, `cancel role-request ${requestId}`);
    const conv = (typed.conversation as { id: string }).id;
    let mark = world.calls.length;
    assert.equal((await post(world, bot, typed)).status, 200);
    const oauth = await world.waitFor(
      (c) => world.calls.indexOf(c) >= mark && c.conversationId === conv && c.activity.type === 'message',
    );
    assert.ok(isCard(oauth, 'application/vnd.microsoft.card.oauth'), 'an OAuth card first');
    const id = (oauth.activity.attachments as Array<{ content: { tokenExchangeResource: { id: string } } }>)[0]!.content
      .tokenExchangeResource.id;
    const exchangeWith = (token: string) =>
      post(world, bot, invoke(world, admin, 'signin/tokenExchange', { id, connectionName: '', token }));

    world.tenant.clearLog();
    mark = world.calls.length;
    const phone = exchangeWith(world.tenant.issueSsoToken(admin.aadObjectId, world.seed.app.clientId));
    // The phone's exchange is under way (its token request is held) before the desktop's is sent.
    let phoneDone = false;
    void phone.then(() => (phoneDone = true));
    while (held.length === 0 && !phoneDone) await new Promise((r) => setTimeout(r, 10));
    assert.equal(held.length, 1, "the phone's exchange reached Entra");
    const desktop = exchangeWith(world.tenant.issueSsoToken(admin.aadObjectId, world.seed.app.clientId));
    // A bot that never exchanges the fresh token would wait on the held request for ever.
    releaseTimer = setTimeout(releaseAll, 1500);
    const [phoneAnswer, desktopAnswer] = await Promise.all([phone, desktop]);

    assert.equal(phoneAnswer.status, 412, 'the exchange Entra refused is answered 412');
    assert.equal(
      desktopAnswer.status,
      200,
      `the exchange Entra accepts is answered 200; got ${desktopAnswer.status} ${desktopAnswer.body}`,
    );
    const result: RecordedCall = await world.waitFor(
      (c) =>
        world.calls.indexOf(c) >= mark &&
        c.conversationId === conv &&
        c.activity.type === 'message' &&
        /Cancelled the role assignment request/.test(cardText(c)),
    );
    assert.ok(result);
    // Once the bot has stopped, having finished all it was doing, no second run can follow.
    await bot.drain();
    assert.equal(world.tenant.graphRequests().filter((r) => r.method === 'POST').length, 1, 'the command ran once');
  });
});
