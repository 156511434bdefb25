// Which storage the configuration names (contract §2, README configuration table): SQLite in
// STATE_DIRECTORY, or one Azure Storage account reached with a connection string or keyless, as
// the bot's user-assigned managed identity with Azure RBAC, which Microsoft recommends over Shared
// Key (https://learn.microsoft.com/azure/storage/common/shared-key-authorization-prevent;
// https://learn.microsoft.com/azure/storage/blobs/authorize-access-azure-active-directory;
// https://learn.microsoft.com/azure/storage/queues/authorize-access-azure-active-directory).
// Exactly one way at a time, and a refusal says what to set.

import { strict as assert } from 'node:assert';
import { readConfig } from '../../src/config';
import {
  BLOB_ENDPOINT as BLOB,
  MANAGED_IDENTITY_ID as MSI,
  QUEUE_ENDPOINT as QUEUE,
  configProblems as problems,
  managedIdentityBot,
} from '../fixtures/configEnv';

const CONNECTION =
  'DefaultEndpointsProtocol=https;AccountName=governancebot;AccountKey=a2V5;EndpointSuffix=core.windows.net';

describe('readConfig: the storage', () => {
  it('keyless: the two service endpoints and the container, as the bot managed identity', () => {
    const c = readConfig({
      ...managedIdentityBot,
      STORAGE_BLOB_ENDPOINT: BLOB,
      STORAGE_QUEUE_ENDPOINT: QUEUE,
      STORAGE_CONTAINER: 'governance-bot',
    });
    assert.deepEqual(c.storage, {
      kind: 'blobs',
      container: 'governance-bot',
      access: {
        kind: 'managedIdentity',
        blobEndpoint: 'https://governancebot.blob.core.windows.net',
        queueEndpoint: 'https://governancebot.queue.core.windows.net',
        clientId: MSI,
      },
    });
  });

  it('keyless on Azurite: path-style endpoints on two ports', () => {
    const c = readConfig({
      ...managedIdentityBot,
      STORAGE_BLOB_ENDPOINT: 'https://127.0.0.1:10000/devstoreaccount1',
      STORAGE_QUEUE_ENDPOINT: 'https://127.0.0.1:10001/devstoreaccount1/',
      STORAGE_CONTAINER: 'governance-bot',
    });
    assert.equal(c.storage.kind === 'blobs' && c.storage.access.kind, 'managedIdentity');
    if (c.storage.kind === 'blobs' && c.storage.access.kind === 'managedIdentity') {
      assert.equal(c.storage.access.blobEndpoint, 'https://127.0.0.1:10000/devstoreaccount1');
      assert.equal(c.storage.access.queueEndpoint, 'https://127.0.0.1:10001/devstoreaccount1');
    }
  });

  it('the connection string way still works', () => {
    const c = readConfig({
      ...managedIdentityBot,
      STORAGE_CONNECTION_STRING: CONNECTION,
      STORAGE_CONTAINER: 'gb' + 'x',
    });
    assert.deepEqual(c.storage, {
      kind: 'blobs',
      container: 'gbx',
      access: { kind: 'connectionString', connectionString: CONNECTION },
    });
  });

  it('refuses both ways at once, naming both', () => {
    const p = problems({
      ...managedIdentityBot,
      STORAGE_CONNECTION_STRING: CONNECTION,
      STORAGE_BLOB_ENDPOINT: BLOB,
      STORAGE_QUEUE_ENDPOINT: QUEUE,
      STORAGE_CONTAINER: 'governance-bot',
    });
    assert.equal(p.length, 1);
    assert.match(
      p[0]!,
      /either STORAGE_CONNECTION_STRING .* or STORAGE_BLOB_ENDPOINT and STORAGE_QUEUE_ENDPOINT .*not both/,
    );
  });

  it('refuses one endpoint without the other, saying which to set', () => {
    const p = problems({ ...managedIdentityBot, STORAGE_BLOB_ENDPOINT: BLOB, STORAGE_CONTAINER: 'governance-bot' });
    assert.deepEqual(p.length, 1);
    assert.match(p[0]!, /^STORAGE_QUEUE_ENDPOINT is required .*https:\/\/<account>\.queue\.core\.windows\.net/);
    const q = problems({ ...managedIdentityBot, STORAGE_QUEUE_ENDPOINT: QUEUE, STORAGE_CONTAINER: 'governance-bot' });
    assert.match(q.join('\n'), /^STORAGE_BLOB_ENDPOINT is required .*https:\/\/<account>\.blob\.core\.windows\.net/);
  });

  it('refuses endpoints without a container, and a container without an account', () => {
    assert.match(
      problems({ ...managedIdentityBot, STORAGE_BLOB_ENDPOINT: BLOB, STORAGE_QUEUE_ENDPOINT: QUEUE }).join('\n'),
      /^STORAGE_CONTAINER is required with STORAGE_BLOB_ENDPOINT and STORAGE_QUEUE_ENDPOINT/,
    );
    assert.match(
      problems({ ...managedIdentityBot, STORAGE_CONNECTION_STRING: CONNECTION }).join('\n'),
      /^STORAGE_CONTAINER is required with STORAGE_CONNECTION_STRING/,
    );
    assert.match(
      problems({ ...managedIdentityBot, STORAGE_CONTAINER: 'governance-bot' }).join('\n'),
      /^STORAGE_CONTAINER needs the account: set STORAGE_BLOB_ENDPOINT and STORAGE_QUEUE_ENDPOINT .* or STORAGE_CONNECTION_STRING/,
    );
  });

  // Bearer tokens go over TLS only (core-rest-pipeline refuses otherwise), and a SAS in the
  // endpoint would be a key by another name.
  it('refuses an endpoint that is not https, carries a query (a SAS) or credentials, or names the other service', () => {
    const base = { ...managedIdentityBot, STORAGE_CONTAINER: 'governance-bot' };
    const cases: Array<[Record<string, string>, RegExp]> = [
      [
        { STORAGE_BLOB_ENDPOINT: 'http://governancebot.blob.core.windows.net', STORAGE_QUEUE_ENDPOINT: QUEUE },
        /^STORAGE_BLOB_ENDPOINT must be the https Blob service endpoint/,
      ],
      [
        { STORAGE_BLOB_ENDPOINT: `${BLOB}?sv=2024&sig=abc`, STORAGE_QUEUE_ENDPOINT: QUEUE },
        /^STORAGE_BLOB_ENDPOINT must be .*no SAS.*value is not shown/,
      ],
      [
        { STORAGE_BLOB_ENDPOINT: BLOB, STORAGE_QUEUE_ENDPOINT: 'https://u:p@governancebot.queue.core.windows.net' },
        /^STORAGE_QUEUE_ENDPOINT must be the https Queue service endpoint/,
      ],
      [
        { STORAGE_BLOB_ENDPOINT: 'not a url', STORAGE_QUEUE_ENDPOINT: QUEUE },
        /^STORAGE_BLOB_ENDPOINT must be .*not a URL/,
      ],
      [
        { STORAGE_BLOB_ENDPOINT: QUEUE, STORAGE_QUEUE_ENDPOINT: BLOB },
        /^STORAGE_BLOB_ENDPOINT names the Queue service/,
      ],
      [
        {
          STORAGE_BLOB_ENDPOINT: 'https://127.0.0.1:10000/devstoreaccount1',
          STORAGE_QUEUE_ENDPOINT: 'https://127.0.0.1:10000/devstoreaccount1',
        },
        /must differ/,
      ],
    ];
    for (const [env, expected] of cases) {
      const p = problems({ ...base, ...env });
      assert.ok(
        p.some((x) => expected.test(x)),
        `${JSON.stringify(env)}: ${p.join(' | ')}`,
      );
      assert.ok(!p.join('\n').includes('sig=abc'), 'a SAS is never quoted');
    }
  });

  it('refuses keyless storage without a user-assigned managed identity to sign in as', () => {
    const endpoints = {
      STORAGE_BLOB_ENDPOINT: BLOB,
      STORAGE_QUEUE_ENDPOINT: QUEUE,
      STORAGE_CONTAINER: 'governance-bot',
    };
    const secretBot = {
      ...managedIdentityBot,
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppPassword: 'bot-secret',
      ...endpoints,
    };
    for (const env of [secretBot, endpoints]) {
      assert.match(
        problems(env).join('\n'),
        /sign in to Storage as the bot's user-assigned managed identity: they need MicrosoftAppType=UserAssignedMSI with MicrosoftAppId its client id\. Otherwise set STORAGE_CONNECTION_STRING/,
      );
    }
  });
});
