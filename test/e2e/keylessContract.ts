// The storage contract (fixtures/azureStateContract.ts) on keyless clients: run by
// state.azurite.keyless.test.ts in a mocha process of its own, which trusts Azurite's certificate
// through NODE_EXTRA_CA_CERTS (Node reads it only at start) and names the services in
// KEYLESS_BLOB_ENDPOINT and KEYLESS_QUEUE_ENDPOINT. Not a *.test file: alone it has no Azurite.

import type { AccessToken, TokenCredential } from '@azure/identity';
import { azureStateContract } from '../fixtures/azureStateContract';

/** Tokens as Entra issues them for Azure Storage, as far as Azurite's basic OAuth checks them. */
const credential: TokenCredential = {
  getToken: (): Promise<AccessToken> => {
    const now = Math.floor(Date.now() / 1000);
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const claims = {
      aud: 'https://storage.azure.com',
      iss: 'https://sts.windows.net/5b0c9d1e-7a64-4f2b-9c3d-2e8f1a6b4c70/',
      iat: now - 60,
      nbf: now - 60,
      exp: now + 3600,
    };
    const token = `${part({ typ: 'JWT', alg: 'RS256' })}.${part(claims)}.c2ln`;
    return Promise.resolve({ token, expiresOnTimestamp: (now + 3600) * 1000 });
  },
};

describe('the storage contract, keyless (bearer tokens) on Azurite with OAuth', function () {
  this.timeout(60_000);
  let containers = 0;
  azureStateContract(() => ({
    keyless: {
      blobEndpoint: process.env.KEYLESS_BLOB_ENDPOINT ?? '',
      queueEndpoint: process.env.KEYLESS_QUEUE_ENDPOINT ?? '',
      credential,
    },
    container: `keyless-${process.pid}-${++containers}`,
  }));
});
