// Is the simulated tenant as strict as Microsoft Graph about the bearer token? Graph takes only a
// token issued for Graph: the audience must be Graph (here, the Graph root the tenant is served
// at, or Graph's application id in the global service: simStrict.audience), the token must be
// within its lifetime, and a delegated token must carry scp.
//
// https://learn.microsoft.com/en-us/entra/identity-platform/claims-validation ("The aud claim
// identifies the intended audience of the token ... you must always verify that the value of the
// aud claim matches")
// https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference (aud, exp)
// https://learn.microsoft.com/en-us/graph/deployments ("tokens ... aren't interchangeable" between
// national clouds: a token for one Graph root is refused by another)

import { strict as assert } from 'node:assert';
import { DemoSeed, loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { HOST, call, errorOf, jsonOf, oboForm } from '../fixtures/tenantClient';

describe('simulated tenant is as strict as Graph about tokens', () => {
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  let clock: number;

  beforeEach(() => {
    seed = loadDemoSeed();
    clock = Date.UTC(2026, 0, 5, 9);
    tenant = new SimulatedTenant(seed, { now: () => clock });
  });

  /** A delegated token of the first seed user, by the on-behalf-of grant, for `resource`. */
  const tokenFor = (resource: string): string => {
    const sso = tenant.issueSsoToken(seed.users[0]!.id, seed.app.clientId);
    const form = oboForm(seed, sso, { scope: `${resource}/.default openid profile offline_access` });
    const r = call(tenant, 'POST', `/${seed.tenantId}/oauth2/v2.0/token`, { body: form });
    assert.equal(r.status, 200, r.body);
    return jsonOf<{ access_token: string }>(r).access_token;
  };
  const read = (token: string) =>
    call(
      tenant,
      'GET',
      "/v1.0/roleManagement/directory/roleAssignmentScheduleRequests/filterByCurrentUser(on='principal')",
      {
        bearer: token,
      },
    );

  it('takes a token for this Graph root', () => {
    assert.equal(read(tokenFor(`https://${HOST}`)).status, 200);
  });

  it('refuses a delegated token issued for another API with 401 InvalidAuthenticationToken', () => {
    const r = read(tokenFor('https://api.contoso.example'));
    assert.equal(r.status, 401, r.body);
    assert.equal(errorOf(r).code, 'InvalidAuthenticationToken');
  });

  it('refuses a token for another Graph root (another national cloud)', () => {
    const r = read(tokenFor('https://graph.microsoft.us'));
    assert.equal(r.status, 401, r.body);
    assert.equal(errorOf(r).code, 'InvalidAuthenticationToken');
  });

  it("takes a token for the Graph root of the cloud it plays, and refuses another cloud's", () => {
    assert.equal(read(tokenFor('https://graph.microsoft.com')).status, 200);
    tenant = new SimulatedTenant(seed, { now: () => clock, cloud: 'usgov' });
    assert.equal(read(tokenFor('https://graph.microsoft.us')).status, 200);
    assert.equal(read(tokenFor('https://graph.microsoft.com')).status, 401);
  });

  // https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-on-behalf-of-flow: scope is Required.
  it('refuses an on-behalf-of grant without a scope (AADSTS90014), issuing no token', () => {
    const sso = tenant.issueSsoToken(seed.users[0]!.id, seed.app.clientId);
    const form = new URLSearchParams(oboForm(seed, sso));
    form.delete('scope');
    const r = call(tenant, 'POST', `/${seed.tenantId}/oauth2/v2.0/token`, { body: form.toString() });
    assert.equal(r.status, 400, r.body);
    const body = jsonOf<{ error: string; error_codes: number[]; access_token?: string }>(r);
    assert.equal(body.error, 'invalid_request');
    assert.deepEqual(body.error_codes, [90014]);
    assert.equal(body.access_token, undefined);
  });

  it('refuses a token past its exp', () => {
    const token = tokenFor(`https://${HOST}`);
    clock += 3600_000 + 1000;
    const r = read(token);
    assert.equal(r.status, 401, r.body);
    assert.equal(errorOf(r).code, 'InvalidAuthenticationToken');
  });
});
