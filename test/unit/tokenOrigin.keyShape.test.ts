// The channel key endorsement check (tokenOrigin.ts) reads the keys botframework-connector fetched
// from the channel's key set, a field its OpenIdMetadata keeps private. A version that keeps them
// elsewhere must be refused when the bot starts: read at run time, no key would be found and every
// channel token would get 403. Each key of the set lists the channels it endorses
// (https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-authentication#connector-to-bot-step-3).

import { strict as assert } from 'node:assert';
import { OpenIdMetadata } from 'botframework-connector/lib/auth/openIdMetadata';
import { TokenOrigin, readsKeysField } from '../../src/bot/tokenOrigin';

/** The library's settings as the adapter's authentication holds them. */
const AUTH = {
  inner: {
    toBotFromChannelTokenIssuer: 'https://api.botframework.com',
    toBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  },
};

/** A key set class like the library's, keeping its keys in another field. */
class RenamedKeys {
  private readonly signingKeys: Array<{ kid: string; endorsements?: string[] }> = [];
  findKey(kid: string) {
    const key = this.signingKeys.find((k) => k.kid === kid);
    return key ? { key: 'pem', endorsements: key.endorsements } : null;
  }
}

describe('inbound authentication: the library keeps its channel keys where they are read', () => {
  it('the installed botframework-connector finds its keys in the field the check reads', () => {
    assert.equal(readsKeysField(OpenIdMetadata), true);
    assert.doesNotThrow(() => new TokenOrigin(AUTH, []));
  });

  it('a version that keeps its keys elsewhere is refused at start', () => {
    assert.equal(readsKeysField(RenamedKeys), false);
    assert.throws(() => new TokenOrigin(AUTH, [], RenamedKeys), /check key endorsements anew/);
  });

  it('a version without the key lookup is refused at start', () => {
    assert.throws(() => new TokenOrigin(AUTH, [], class {}), /check key endorsements anew/);
    assert.throws(() => new TokenOrigin(AUTH, [], null), /check key endorsements anew/);
  });
});
