// A refused inbound token writes nothing to stderr. botframework-connector's JwtTokenExtractor
// wrote, with console.error, the whole PEM public key for every token whose verification failed
// once its key was found (and an expired token's error with its stack): the key id and issuer are
// read unverified, so anyone could name a published key id with a made-up signature and write a
// key to stderr per request. The bot refuses those first (src/bot/forgedTokens.ts); its own log
// line of the refusal (http.unauthorized, at warn, no key) is src/server.ts's.
// Microsoft's page: the bot verifies the signature with the channel's keys, and the lifetime:
// https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-authentication#connector-to-bot-step-4

import { strict as assert } from 'node:assert';
import { createHmac } from 'node:crypto';
import { AuthenticationError } from 'botframework-connector';
import { createSigningKey, signJwt, SigningKey } from '../../src/auth/jwt';
import { createAdapter } from '../../src/bot/adapter';
import {
  BOT_FRAMEWORK_ISSUER as ISSUER,
  TEAMS_SERVICE_URL as SERVICE_URL,
  botSettings,
  channelKeyHost,
  channelSettings,
  quietLogger,
  teamsActivity,
} from '../fixtures/inboundAuth';

const APP = '3e5a7c90-1b2d-4f6a-8c9e-0a1b2c3d4e5f';

describe('inbound authentication: refusals write nothing to stderr', function () {
  this.timeout(20_000);
  const channelKey = createSigningKey('quiet-channel-key');
  const forger = createSigningKey('quiet-channel-key');
  const host = channelKeyHost(() => [{ ...channelKey.publicJwk, endorsements: ['msteams'] }]);

  const adapter = () => createAdapter(botSettings(APP, channelSettings(host)), quietLogger());

  const now = () => Math.floor(Date.now() / 1000);
  const claims = (extra: Record<string, unknown> = {}) => ({
    iss: ISSUER,
    aud: APP,
    serviceurl: SERVICE_URL,
    nbf: now() - 10,
    exp: now() + 3600,
    ...extra,
  });
  const bearer = (key: SigningKey, extra?: Record<string, unknown>) => `Bearer ${signJwt(claims(extra), key)}`;
  /** A token "signed" with HS256, the channel's public key id in its header. */
  const hs256 = () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const signed = `${b64({ alg: 'HS256', typ: 'JWT', kid: channelKey.kid })}.${b64(claims())}`;
    return `Bearer ${signed}.${createHmac('sha256', 'guess').update(signed).digest('base64url')}`;
  };
  const activity = teamsActivity(APP);

  it('refuses a made-up signature, an expired token and a foreign algorithm with 401, and writes no key', async () => {
    const a = adapter();
    // The channel's keys are read once a real token comes (the control).
    const taken = await a.authenticate(bearer(channelKey), activity);
    assert.equal(taken.claimsIdentity.getClaimValue('aud'), APP);
    const written: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void written.push(args);
    try {
      for (const header of [
        bearer(forger),
        bearer(forger, { exp: now() - 3600, nbf: now() - 7200 }),
        bearer(channelKey, { exp: now() - 3600, nbf: now() - 7200 }),
        hs256(),
      ]) {
        await assert.rejects(
          a.authenticate(header, activity),
          (e: unknown) => e instanceof AuthenticationError && e.statusCode === 401,
        );
      }
    } finally {
      console.error = original;
    }
    assert.deepEqual(
      written.map((w) => String(w[0]).slice(0, 60)),
      [],
      'nothing written to stderr',
    );
    // A genuine token is still taken.
    const again = await a.authenticate(bearer(channelKey, { jti: 'another' }), activity);
    assert.equal(again.claimsIdentity.getClaimValue('aud'), APP);
  });
});
