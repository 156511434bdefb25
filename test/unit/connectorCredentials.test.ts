// The bot's own connector credentials are made once per audience, not once per connector client:
// botbuilder asks its credentials factory twice per turn (the connector client and the user-token
// client), and with a managed identity each answer is a whole DefaultAzureCredential chain.

import { strict as assert } from 'node:assert';
import type { ServiceClientCredentials } from 'botframework-connector';
import { CachedCredentialsFactory } from '../../src/bot/connectorCredentials';

function countingInner(refuse: (appId: string) => boolean = () => false) {
  const made: Array<{ appId: string; audience: string | undefined }> = [];
  return {
    made,
    isValidAppId: async (appId: string) => !refuse(appId),
    isAuthenticationDisabled: async () => false,
    createCredentials: async (appId: string, audience: string | undefined) => {
      if (refuse(appId)) throw new Error('Invalid Managed ID.');
      made.push({ appId, audience });
      return { signRequest: async (r: unknown) => r, made: made.length } as unknown as ServiceClientCredentials;
    },
  };
}

describe('connector credentials', () => {
  it('builds credentials once per app id, audience and login endpoint, then reuses them', async () => {
    const inner = countingInner();
    const factory = new CachedCredentialsFactory(inner);
    const a = await factory.createCredentials('app', 'https://api.botframework.com', 'https://login', true);
    const b = await factory.createCredentials('app', 'https://api.botframework.com', 'https://login', true);
    assert.equal(a, b);
    assert.equal(inner.made.length, 1);
    const other = await factory.createCredentials('app', 'https://skill.example', 'https://login', true);
    assert.notEqual(other, a);
    assert.equal(inner.made.length, 2, 'another audience gets its own credentials');
    await factory.createCredentials('app', 'https://api.botframework.com', 'https://other-login', true);
    assert.equal(inner.made.length, 3, 'another login endpoint too');
  });

  it('never caches a refusal, and asks the inner factory about app ids and authentication', async () => {
    let refusing = true;
    const inner = countingInner(() => refusing);
    const factory = new CachedCredentialsFactory(inner);
    await assert.rejects(factory.createCredentials('app', undefined, 'https://login', true), /Invalid/);
    assert.equal(await factory.isValidAppId('app'), false);
    refusing = false;
    await factory.createCredentials('app', undefined, 'https://login', true);
    assert.equal(inner.made.length, 1);
    assert.equal(await factory.isAuthenticationDisabled(), false);
  });

  it('holds a bounded number of audiences', async () => {
    const inner = countingInner();
    const factory = new CachedCredentialsFactory(inner, 2);
    for (const audience of ['a', 'b', 'c']) await factory.createCredentials('app', audience, 'l', true);
    await factory.createCredentials('app', 'a', 'l', true);
    assert.equal(inner.made.length, 4, 'the oldest audience was dropped and is built again');
  });
});
