// The adapter's inbound authentication with botframework-connector's verification replaced by a
// counting stand-in (the verification itself runs, against a signing channel, in
// test/e2e/inboundTokens.test.ts and contract.signIn.test.ts): a token verified once is taken
// again for the same channel and service URL with the same identity, caller id and audience;
// verified again for another channel or service URL, at its expiry and after MAX_REUSE_MS; never
// kept when refused. And one user-token client per app id, not one per turn.

import { strict as assert } from 'node:assert';
import { Activity, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { AuthenticationError, ClaimsIdentity } from 'botframework-connector';
import { createAdapter } from '../../src/bot/adapter';
import { MAX_REUSE_MS } from '../../src/bot/verifiedTokens';
import { botSettings, quietLogger, teamsActivity } from '../fixtures/inboundAuth';

const APP = '7f3c2a10-5b6d-4e8f-9a1b-2c3d4e5f6a7b';
const URL_A = 'https://smba.trafficmanager.net/amer/';
const URL_B = 'https://smba.trafficmanager.net/emea/';
const HEADER = 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJib3QifQ.c2ln';

const activity = (channelId: string, serviceUrl: string): Activity =>
  teamsActivity(APP, { channelId, serviceUrl, from: { id: '29:user' } });

describe('inbound authentication kept across activities', () => {
  const original = ConfigurationBotFrameworkAuthentication.prototype.authenticateRequest;
  let verified: number;
  let refuse: boolean;
  let now: number;
  let lifetimeS: number;

  beforeEach(() => {
    verified = 0;
    refuse = false;
    now = 1_800_000_000_000;
    lifetimeS = 3600;
    ConfigurationBotFrameworkAuthentication.prototype.authenticateRequest = async function (a: Activity) {
      verified++;
      if (refuse) throw new AuthenticationError('Unauthorized. The token is not valid.', 401);
      const claims = new ClaimsIdentity(
        [
          { type: 'aud', value: APP },
          // The library keeps each payload value as decoded: exp is a number.
          { type: 'exp', value: (Math.floor(now / 1000) + lifetimeS) as unknown as string },
          { type: 'serviceurl', value: a.serviceUrl },
        ],
        true,
      );
      return {
        audience: 'https://api.botframework.com',
        callerId: `urn:botframework:azure:${verified}`,
        claimsIdentity: claims,
        connectorFactory: this.createConnectorFactory(claims),
      };
    };
  });
  afterEach(() => {
    ConfigurationBotFrameworkAuthentication.prototype.authenticateRequest = original;
  });

  // A production configuration (a bot with its own secret); nothing here reaches the network.
  const config = botSettings(APP);
  const adapter = () => createAdapter(config, quietLogger(), { now: () => now });

  it('verifies a token once for the same channel and service URL, with the same identity, caller and audience', async () => {
    const a = adapter();
    const first = await a.authenticate(HEADER, activity('msteams', URL_A));
    const again = await a.authenticate(HEADER, activity('msteams', URL_A));
    assert.equal(verified, 1);
    assert.equal(again.claimsIdentity, first.claimsIdentity);
    assert.equal(again.callerId, first.callerId);
    assert.equal(again.audience, first.audience);
    assert.ok(again.connectorFactory, 'a connector factory for the turn');
  });

  it('verifies it again for another channel or another service URL', async () => {
    const a = adapter();
    await a.authenticate(HEADER, activity('msteams', URL_A));
    // Verified, then refused: only Teams names an Entra user (the next test).
    await assert.rejects(a.authenticate(HEADER, activity('webchat', URL_A)));
    await a.authenticate(HEADER, activity('msteams', URL_B));
    assert.equal(verified, 3);
  });

  // Every Azure Bot resource has the Web Chat channel, and a Direct Line client chooses the `from`
  // and channelData it sends; Bot Framework keeps user ids apart per channel. The bot acts with the
  // delegated token of the user from.aadObjectId names, which only Teams asserts: a token the
  // Bot Connector signed for another channel proves that channel sent the activity, not who.
  // https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-authentication
  // https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-direct-line-3-0-authentication
  it('refuses with 403 a valid token for an activity from another channel than Teams, every time', async () => {
    const a = adapter();
    const webchat = {
      ...activity('webchat', URL_A),
      from: { id: 'dl_attacker', aadObjectId: '7d3c1f0e-1111-4111-8111-111111111111' },
    } as Activity;
    for (const attempt of [1, 2]) {
      await assert.rejects(
        a.authenticate(HEADER, webchat),
        (e: unknown) => e instanceof AuthenticationError && e.statusCode === 403,
        `attempt ${attempt}`,
      );
    }
    assert.equal(verified, 2, 'a refused activity keeps no verification');
    await a.authenticate(HEADER, activity('msteams', URL_A));
  });

  it("verifies it again at the token's expiry, and after MAX_REUSE_MS however long it lives", async () => {
    lifetimeS = 60;
    const a = adapter();
    await a.authenticate(HEADER, activity('msteams', URL_A));
    now += 59_999;
    await a.authenticate(HEADER, activity('msteams', URL_A));
    assert.equal(verified, 1);
    now += 1;
    await a.authenticate(HEADER, activity('msteams', URL_A));
    assert.equal(verified, 2, 'at exp');
    lifetimeS = 24 * 3600;
    now += 60_000;
    await a.authenticate(HEADER, activity('msteams', URL_A));
    assert.equal(verified, 3);
    now += MAX_REUSE_MS - 1;
    await a.authenticate(HEADER, activity('msteams', URL_A));
    assert.equal(verified, 3);
    now += 1;
    await a.authenticate(HEADER, activity('msteams', URL_A));
    assert.equal(verified, 4, 'after MAX_REUSE_MS');
  });

  it('never keeps a refusal', async () => {
    const a = adapter();
    refuse = true;
    for (let i = 0; i < 2; i++) {
      await assert.rejects(a.authenticate(HEADER, activity('msteams', URL_A)), (e: unknown) => {
        return (e as AuthenticationError).statusCode === 401;
      });
    }
    refuse = false;
    await a.authenticate(HEADER, activity('msteams', URL_A));
    assert.equal(verified, 3, 'each refused activity was verified, and so was the next');
  });

  it('gives every turn of one app id the same user-token client', async () => {
    const a = adapter();
    const clients: unknown[] = [];
    for (const serviceUrl of [URL_A, URL_B]) {
      const act = activity('msteams', serviceUrl);
      await a.handleAuthenticated(await a.authenticate(HEADER, act), act, async (ctx) => {
        clients.push(ctx.turnState.get(a.UserTokenClientKey));
      });
    }
    assert.ok(clients[0]);
    assert.equal(clients[0], clients[1]);
  });
});
