// The sandbox's bot calls the simulated tenant for Graph and for sign-in (withSandboxTenant), so a
// well-formed GRAPH_ENDPOINT or AAD_APP_OAUTH_AUTHORITY_HOST in the environment (a real tenant's
// `.env` loaded in the shell) is used by nothing: the launcher's start log names it with the
// variables the sandbox ignores (its name only, never its value), or whoever set it wonders why
// their Graph is never reached. A malformed one stops the start instead (contract §2, a listed
// variable; config.test.ts), so it is not named. CLOUD is not named: the sandbox plays the
// configured cloud (sandbox.configuredCloud.test.ts).

import { strict as assert } from 'node:assert';
import { ignoredInSandbox, readConfig } from '../../src/config';
import { sandboxChildConfig } from '../../src/sandbox/start';

const TENANT_URL = 'https://127.0.0.1:45443';
const GRAPH = 'https://graph.microsoft.us';
const AUTHORITY = 'https://login.microsoftonline.us';

describe('the sandbox and the Graph and sign-in hosts it replaces', () => {
  it('names a well-formed GRAPH_ENDPOINT and AAD_APP_OAUTH_AUTHORITY_HOST, which its bot does not use', () => {
    const env = { GRAPH_ENDPOINT: GRAPH, AAD_APP_OAUTH_AUTHORITY_HOST: AUTHORITY };
    const { config } = sandboxChildConfig(readConfig(env), TENANT_URL);
    assert.equal(config.graphEndpoint, TENANT_URL, 'Graph is the simulated tenant');
    assert.equal(config.authorityHost, TENANT_URL, 'sign-in is the simulated tenant');
    assert.deepEqual([...ignoredInSandbox(env)].sort(), ['AAD_APP_OAUTH_AUTHORITY_HOST', 'GRAPH_ENDPOINT']);
    assert.deepEqual(ignoredInSandbox({ GRAPH_ENDPOINT: GRAPH }), ['GRAPH_ENDPOINT']);
    assert.deepEqual(ignoredInSandbox({ SECRET_AAD_APP_OAUTH_AUTHORITY_HOST: AUTHORITY }), [
      'AAD_APP_OAUTH_AUTHORITY_HOST',
    ]);
  });

  it('names them with the others, and names nothing for an empty value, CLOUD or a malformed host', () => {
    const env = { ALERTS_ADMIN_GROUP_ID: 'x', GRAPH_ENDPOINT: `${GRAPH}/`, BOT_ENDPOINT: 'y', CLOUD: 'usgov' };
    assert.deepEqual([...ignoredInSandbox(env)].sort(), ['ALERTS_ADMIN_GROUP_ID', 'BOT_ENDPOINT', 'GRAPH_ENDPOINT']);
    assert.deepEqual(ignoredInSandbox({ GRAPH_ENDPOINT: ' ', AAD_APP_OAUTH_AUTHORITY_HOST: '' }), []);
    assert.deepEqual(ignoredInSandbox({ CLOUD: 'usgov' }), []);
    // Refused at start with its own words (config.test.ts), so not said to be ignored as well.
    assert.deepEqual(ignoredInSandbox({ GRAPH_ENDPOINT: `${GRAPH}/v1.0`, AAD_APP_OAUTH_AUTHORITY_HOST: 'login' }), []);
  });
});
