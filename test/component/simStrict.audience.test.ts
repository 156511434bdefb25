// Is the simulated tenant as strict as Microsoft Graph about a token's audience in each national
// cloud? What the docs say, and where they are silent:
//
// - https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference: `aud`
//   "must be validated, reject the token if the value doesn't match the intended audience"; in
//   v1.0 tokens "it can be the client ID or the resource URI used in the request".
// - https://learn.microsoft.com/en-us/graph/sdks/national-clouds: a scope naming Graph "MUST use the
//   domain of the Microsoft Graph service root endpoint for the national cloud deployment" (so the
//   resource URI, and the audience, of a US Government L4 token is https://graph.microsoft.us, of
//   an L5 (DoD) token https://dod-graph.microsoft.us, of a China token
//   https://microsoftgraph.chinacloudapi.cn).
// - https://learn.microsoft.com/en-us/graph/deployments: "Access tokens acquired for a national cloud
//   deployment are not interchangeable with those acquired for the global service or any other
//   national cloud" (L4 and L5 share one sign-in endpoint, login.microsoftonline.us, yet not Graph).
// - Silent: whether a national cloud's Graph takes Graph's client id (the same GUID everywhere) as
//   audience. A GUID cannot show which cloud a token was for, so the simulated tenant takes it only
//   in the global service.
// A refused token is Graph's 401 InvalidAuthenticationToken in its error envelope
// (https://learn.microsoft.com/en-us/graph/errors).

import { strict as assert } from 'node:assert';
import type { CloudName } from '../../src/sandbox/graph/items';
import { DemoSeed, loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { HOST, call, errorOf, jsonOf, oboForm } from '../fixtures/tenantClient';

const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
const MINE = "/v1.0/roleManagement/directory/roleAssignmentScheduleRequests/filterByCurrentUser(on='principal')";

describe('simulated tenant takes only the audiences Graph takes in the cloud it plays', () => {
  let seed: DemoSeed;

  beforeEach(() => {
    seed = loadDemoSeed();
  });

  const tenantIn = (cloud: CloudName) => new SimulatedTenant(seed, { cloud });
  /** A delegated token of the role administrator (Megan Bowen), asked for `resource`. */
  const tokenFor = (tenant: SimulatedTenant, resource: string): string => {
    const sso = tenant.issueSsoToken(seed.users[0]!.id, seed.app.clientId);
    const form = oboForm(seed, sso, { scope: `${resource}/.default openid profile offline_access` });
    const r = call(tenant, 'POST', `/${seed.tenantId}/oauth2/v2.0/token`, { body: form });
    assert.equal(r.status, 200, r.body);
    return jsonOf<{ access_token: string }>(r).access_token;
  };
  const read = (tenant: SimulatedTenant, resource: string, headers: Record<string, string> = {}) =>
    call(tenant, 'GET', MINE, { bearer: tokenFor(tenant, resource), headers });

  const refused = (r: ReturnType<typeof read>) => {
    assert.equal(r.status, 401, r.body);
    const e = errorOf(r);
    assert.equal(e.code, 'InvalidAuthenticationToken');
    assert.match(e.message, /audience/i);
    assert.match(e.innerError?.['request-id'] ?? '', /^[0-9a-f-]{36}$/);
    assert.match(e.innerError?.date ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  };

  it("global: the Graph root and Graph's client id are both Graph's audience", () => {
    const tenant = tenantIn('global');
    assert.equal(read(tenant, 'https://graph.microsoft.com').status, 200);
    assert.equal(read(tenant, GRAPH_APP_ID).status, 200);
  });

  for (const [cloud, root] of [
    ['usgov', 'https://graph.microsoft.us'],
    ['usgovdod', 'https://dod-graph.microsoft.us'],
    ['china', 'https://microsoftgraph.chinacloudapi.cn'],
  ] as const) {
    it(`${cloud}: only ${root} is taken; Graph's client id and every other cloud's root are refused`, () => {
      const tenant = tenantIn(cloud);
      assert.equal(read(tenant, root).status, 200);
      refused(read(tenant, GRAPH_APP_ID));
      for (const other of [
        'https://graph.microsoft.com',
        'https://graph.microsoft.us',
        'https://dod-graph.microsoft.us',
        'https://microsoftgraph.chinacloudapi.cn',
      ].filter((o) => o !== root)) {
        refused(read(tenant, other));
      }
    });
  }

  it('a national cloud refuses the global root even when the call names the global host', () => {
    const tenant = tenantIn('usgov');
    refused(read(tenant, 'https://graph.microsoft.com', { host: 'graph.microsoft.com' }));
    // The sandbox's own address still stands in for the cloud's Graph root.
    assert.equal(read(tenant, `https://${HOST}`).status, 200);
  });

  it('the refusal echoes the caller client-request-id in innerError', () => {
    const tenant = tenantIn('china');
    const r = read(tenant, GRAPH_APP_ID, { 'client-request-id': 'c0ffee00-0000-4000-8000-000000000001' });
    refused(r);
    assert.equal(errorOf(r).innerError?.['client-request-id'], 'c0ffee00-0000-4000-8000-000000000001');
  });
});
