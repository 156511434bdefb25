// The outside contract (../shared/contract.md) at start-up: the built server refuses a configuration
// that mixes real and sandbox identities or holds malformed variables, exits 2 and names every
// variable at fault at once.

import { strict as assert } from 'node:assert';
import { SpawnSyncReturns, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';
import { JWT } from '../fixtures/logSecrets';

describe('start-up configuration', () => {
  const entry = path.join(projectRoot(), 'dist', 'src', 'index.js');
  const crashingEntry = path.join(projectRoot(), 'dist', 'test', 'fixtures', 'crashingStartEntry.js');
  const startWith = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['--no-deprecation', entry], {
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
      timeout: 20_000,
    });

  it('refuses a mix of real and sandbox identities, naming what is missing', () => {
    const r = startWith({ MicrosoftAppId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /AAD_APP_CLIENT_ID/);
    const s = startWith({ AAD_APP_CLIENT_ID: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' });
    assert.equal(s.status, 2);
    assert.match(s.stderr, /MicrosoftAppId/);
  });

  it('lists every malformed variable at once', () => {
    const r = startWith({ PORT: 'x', CLOUD: 'moon', GRAPH_ENDPOINT: 'http://insecure' });
    assert.equal(r.status, 2);
    for (const name of ['PORT', 'CLOUD', 'GRAPH_ENDPOINT']) assert.match(r.stderr, new RegExp(name));
  });

  // A start-up refusal goes to the console and the platform's logs, which keep no secret: a storage
  // connection string pasted into the wrong variable is quoted there without its account key
  // (https://learn.microsoft.com/azure/storage/common/storage-configure-connection-string).
  it('quotes no account key that a refused variable holds', () => {
    const key = 'Zm9vYmFyS2V5s3cr3tKey+/==';
    const r = startWith({
      STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
      STORAGE_CONTAINER: `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${key};EndpointSuffix=core.windows.net`,
    });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /STORAGE_CONTAINER/);
    assert.ok(!r.stderr.includes('s3cr3tKey'), r.stderr);
  });

  // Node reports an error nothing handled with util.inspect, its properties included (a request's
  // headers, a form body): the bot still stops with exit code 1, and what it writes is scrubbed.
  it('writes an error nothing handled without its token, and still exits 1', () => {
    const r = crash({});
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /the request was refused/);
    const said = r.stdout + r.stderr;
    assert.ok(!said.includes(JWT.split('.')[1] ?? 'x') && !said.includes('s3cr3t'), said);
  });

  // A thrown value with no text form (String() throws on it): the handler's own failure would end
  // the process with exit code 7 and Node's report of it, its stack and paths included.
  it('still exits 1, with no stack, on a thrown value that has no text form', () => {
    const r = crash({ CRASH_WITH: 'noText' });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^Governance Bot stopped on an error nothing handled/);
    assert.doesNotMatch(r.stdout + r.stderr, /\bat .*\.js:\d+|s3cr3t/);
  });

  function crash(extra: Record<string, string>): SpawnSyncReturns<string> {
    return spawnSync(process.execPath, ['--no-deprecation', crashingEntry], {
      env: {
        ...extra,
        PATH: process.env.PATH ?? '',
        MicrosoftAppId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
        MicrosoftAppPassword: 'not-used',
        MicrosoftAppTenantId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
        AAD_APP_CLIENT_ID: '1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d',
        AAD_APP_CLIENT_SECRET: 'not-used',
        AAD_APP_TENANT_ID: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
        BOT_ENDPOINT: 'https://governance-bot.contoso.example',
      },
      encoding: 'utf8',
      timeout: 20_000,
    });
  }
});
