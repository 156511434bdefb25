// Attacks on POST /api/messages of the running bot (inbound JWT validation on), beyond the
// channel's own tokens: tokens the Bot Framework Emulator path of botframework-connector takes,
// and bodies built to hurt the server.
//
// Microsoft's page lists what a token from the Emulator must carry; among them "The token has an
// audience claim with a value equal to the bot's Microsoft App ID":
// https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-authentication (both the "Bot Connector" and the "Emulator" sections, step 4)
// botframework-connector's Emulator path checks the token's `appid` (or `azp`) against the bot's
// id but never its audience, and it adds the issuer of whatever tenant the token names to its list
// of issuers. So an Entra token the bot obtained for someone else (its own Bot Connector token,
// audience https://api.botframework.com, appid = the bot) would pass, for any service URL: such a
// token has no serviceurl claim to bind it.
//
// The Emulator's keys here are served by a small metadata server of this test, set as
// ToBotFromEmulatorOpenIdMetadataUrl (in production: Entra's common keys).

import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSigningKey, signJwt } from '../../src/auth/jwt';
import {
  BOT_APP_ID,
  BOT_TENANT_ID,
  BotProcess,
  Who,
  World,
  invoke,
  message,
  startBot,
  startWorld,
  userOf,
} from './harness';

const EMULATOR_ISSUER_V1 = `https://sts.windows.net/${BOT_TENANT_ID}/`;

describe('security: POST /api/messages', function () {
  this.timeout(60_000);
  let world: World;
  let bot: BotProcess;
  let who: Who;
  let keys: http.Server;
  const entraKey = createSigningKey('entra-key-1');

  before(async () => {
    world = await startWorld();
    keys = http.createServer((req, res) => {
      const base = `http://127.0.0.1:${(keys.address() as AddressInfo).port}`;
      res.setHeader('content-type', 'application/json');
      if (req.url === '/emulator/.well-known/openid-configuration') {
        res.end(JSON.stringify({ issuer: EMULATOR_ISSUER_V1, jwks_uri: `${base}/emulator/keys` }));
      } else if (req.url === '/emulator/keys') {
        res.end(JSON.stringify({ keys: [entraKey.publicJwk] }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((r) => keys.listen(0, '127.0.0.1', () => r()));
    const keysBase = `http://127.0.0.1:${(keys.address() as AddressInfo).port}`;
    bot = await startBot(
      world,
      world.botEnv({ ToBotFromEmulatorOpenIdMetadataUrl: `${keysBase}/emulator/.well-known/openid-configuration` }),
    );
    who = userOf(world.seed, 0);
  });
  after(async () => {
    await bot?.stop();
    await world?.close();
    await new Promise<void>((r) => (keys ? keys.close(() => r()) : r()));
  });

  /** An Entra v1.0 token of the bot's tenant for `aud`, obtained by the bot's own identity. */
  const entraToken = (aud: string) => {
    const now = Math.floor(Date.now() / 1000);
    return signJwt(
      {
        iss: EMULATOR_ISSUER_V1,
        aud,
        appid: BOT_APP_ID,
        tid: BOT_TENANT_ID,
        ver: '1.0',
        nbf: now - 10,
        iat: now - 10,
        exp: now + 3600,
      },
      entraKey,
    );
  };

  const postWith = async (authorization: string, activity: Record<string, unknown>) => {
    const res = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify(activity),
    });
    return res.status;
  };

  it('takes an Emulator token whose audience is the bot (the control: only the audience differs below)', async () => {
    const activity = message(world, who, 'help');
    const mark = world.calls.length;
    assert.equal(await postWith(`Bearer ${entraToken(BOT_APP_ID)}`, activity), 200);
    await world.waitFor((c) => c.conversationId === activity.conversation.id && world.calls.indexOf(c) >= mark);
  });

  it("refuses an Entra token of the bot's own identity for another audience (its Bot Connector token), whatever the service URL", async () => {
    const mark = world.calls.length;
    for (const aud of ['https://api.botframework.com', 'https://graph.microsoft.com', 'api://some-other-app']) {
      const activity = message(world, who, 'help');
      assert.equal(await postWith(`Bearer ${entraToken(aud)}`, activity), 401, `audience ${aud}`);
    }
    // A valid activity after them is answered, so nothing the refused ones caused could still be on its way.
    const control = message(world, who, 'help');
    assert.equal(await postWith(world.sign(control)!, control), 200);
    const answered = await world.waitFor(
      (c) => c.conversationId === control.conversation.id && world.calls.indexOf(c) >= mark,
    );
    assert.equal(world.calls.indexOf(answered), mark, 'nothing was sent for the refused activities');
  });
});

describe('security: activities from another tenant, and hostile bodies', function () {
  // The bot acts in one organization: its users' tokens, its alert subscriptions and the governance
  // items it posts are all of the SSO app's tenant (AAD_APP_TENANT_ID). A channel token proves that
  // Teams sent the activity, not from which organization: with MicrosoftAppType=MultiTenant any
  // tenant can install the app. An activity of another tenant must change nothing (for example, a
  // team owner there subscribing a channel to this organization's alerts). Teams names the tenant
  // in conversation.tenantId and channelData.tenant.id:
  // https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages
  this.timeout(60_000);
  const FOREIGN = '99999999-9999-4999-8999-999999999999';
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

  const fromTenant = (activity: ReturnType<typeof message>, tenantId: string) => ({
    ...activity,
    conversation: { ...activity.conversation, tenantId },
    channelData: { ...activity.channelData, tenant: { id: tenantId } },
  });
  const postSigned = async (activity: Record<string, unknown>) => {
    const res = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: world.sign(activity)! },
      body: JSON.stringify(activity),
    });
    return res.status;
  };

  it('refuses a message, a channel command and an invoke from another tenant, and answers its own', async () => {
    const mark = world.calls.length;
    for (const kind of ['personal', 'groupChat', 'channel'] as const) {
      const foreign = fromTenant(message(world, who, 'alerts on access', kind), FOREIGN);
      assert.equal(await postSigned(foreign), 403, kind);
    }
    const foreignInvoke = invoke(world, who, 'signin/verifyState', { state: 'x' });
    assert.equal(
      await postSigned({
        ...foreignInvoke,
        conversation: { ...foreignInvoke.conversation, tenantId: FOREIGN },
        channelData: { tenant: { id: FOREIGN } },
      }),
      403,
    );
    // The operator can tell who was refused: the log line names the foreign tenant (a GUID).
    const refusals = bot.lines().filter((l) => l.event === 'http.unauthorized');
    assert.ok(
      refusals.length > 0 && refusals.every((l) => String(l.reason).includes(FOREIGN)),
      JSON.stringify(refusals),
    );
    // Teams names the tenant in both places; either one naming another tenant is enough.
    const mixed = message(world, who, 'help');
    assert.equal(await postSigned({ ...mixed, channelData: { tenant: { id: FOREIGN } } }), 403);
    const own = message(world, who, 'help');
    assert.equal(await postSigned(own), 200);
    const answered = await world.waitFor(
      (c) => world.calls.indexOf(c) >= mark && c.conversationId === own.conversation.id,
    );
    assert.equal(world.calls.indexOf(answered), mark, 'nothing was sent for the foreign activities');
  });

  // Hostile bodies, on the same bot.
  const postRaw = async (authorization: string, body: string) => {
    const res = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body,
    });
    return { status: res.status, text: await res.text() };
  };

  // Within the 256 KiB limit: deep enough to overflow any recursive walk of what it is put in.
  const nested = `${'['.repeat(120_000)}${']'.repeat(120_000)}`;
  /** `activity` as JSON, with the JSON text `deep` where the string "DEEP" was. */
  const withDeep = (activity: Record<string, unknown>) => JSON.stringify(activity).replace('"DEEP"', nested);

  it('answers deeply nested activities (channel data, a message value, a card action) without a 5xx, and stays up', async () => {
    const plain = message(world, who, 'help');
    const bodies = [
      { ...plain, channelData: { ...plain.channelData, x: 'DEEP' } },
      { ...message(world, who, ''), value: { x: 'DEEP' } },
      invoke(world, who, 'adaptiveCard/action', {
        action: { type: 'Action.Execute', verb: 'cancel', data: { x: 'DEEP' } },
      }),
      invoke(world, who, 'signin/tokenExchange', { id: 'DEEP', token: 'x' }),
      invoke(world, who, 'signin/verifyState', { state: 'DEEP' }),
    ];
    for (const body of bodies) {
      const answer = await postRaw(world.sign(body)!, withDeep(body));
      assert.ok(answer.status < 500, `status ${answer.status}: ${answer.text}`);
    }
    const control = message(world, who, 'help');
    assert.equal((await postRaw(world.sign(control)!, JSON.stringify(control))).status, 200);
  });
});
