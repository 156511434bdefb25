// The bot (real gateway and governance service) against a simulated tenant whose entitlement
// management roles are held per catalog: Grady Archie is Access package assignment manager on the
// "Sales and marketing" catalog only. What the bot says when Graph refuses him a request of another
// catalog must name the catalog, not only the role he already holds.
//
// Pages: https://learn.microsoft.com/en-us/entra/id-governance/entitlement-management-delegate
// (catalog roles are assigned on one catalog) and
// https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-cancel?view=graph-rest-1.0
// (administrators cancelling requests of others need an entitlement management role).

import { strict as assert } from 'node:assert';
import { explain } from '../../src/cards/wording';
import { Actor, GovernanceService } from '../../src/domain/governance';
import { CATALOG, Target } from '../../src/domain/operations';
import { RightsRefusedError } from '../../src/domain/rights';
import { DemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { Rig } from './botRig';
import { actorOf, serviceOnTenant } from './serviceOnTenant';
import { rigPerTest } from './rigPerTest';

const SALES_PORTAL_REQUEST = '7999249e-249e-7999-9e24-99799e24997a';
const FALCON_REQUEST = '7999249e-249e-7999-9e24-99799e24997b';

describe('governance: a catalog role counts on its own catalog only', () => {
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  let svc: GovernanceService;
  const clock = Date.UTC(2026, 0, 5, 9);

  beforeEach(() => {
    ({ seed, tenant, svc } = serviceOnTenant(clock));
  });

  const actor = (displayName: string): Actor => actorOf({ seed, tenant }, displayName);
  const cancel = (requestId: string): Target => ({ operation: 'cancelAccessPackageRequest', ids: { requestId } });

  it('cancels a request of his catalog', async () => {
    const outcome = await svc.perform(cancel(SALES_PORTAL_REQUEST), actor('Grady Archie'));
    assert.ok(outcome.ok, JSON.stringify(outcome));
    assert.equal(tenant.getAccessRequest(SALES_PORTAL_REQUEST)?.state, 'canceled');
  });

  // Self-service is unchanged: his own request in another catalog is cancelled as its requester
  // ("End users canceling their own request: The signed-in user doesn't need an administrator role").
  it('cancels his own request in another catalog as its requester', async () => {
    const own = '7999249e-249e-7999-9e24-99799e2499a8';
    tenant.addAccessRequest({
      id: own,
      state: 'pendingApproval',
      status: 'PendingApproval',
      accessPackageName: 'Finance reports',
      requestor: 'Grady Archie',
      requestType: 'userAdd',
    });
    const outcome = await svc.perform(cancel(own), actor('Grady Archie'));
    assert.ok(outcome.ok, JSON.stringify(outcome));
    assert.equal(tenant.getAccessRequest(own)?.state, 'canceled');
  });

  it("is refused another catalog's request, and told the role must be on that request's catalog", async () => {
    const outcome = await svc.perform(cancel(FALCON_REQUEST), actor('Grady Archie'));
    assert.ok(!outcome.ok);
    const e = outcome.error;
    assert.ok(e instanceof RightsRefusedError, e.constructor.name);
    assert.deepEqual(e.missing, ['role']);
    const words = explain(e, CATALOG.cancelAccessPackageRequest);
    assert.match(words.what, /someone else's request/);
    assert.match(words.what, /Missing: the role named below/);
    assert.match(words.next, /the role Access package assignment manager[^.]* on the catalog of the access package/);
    assert.match(words.next, /Identity Governance Administrator/);
    assert.match(words.next, /catalog roles: each is held on one catalog/);
    assert.equal(tenant.getAccessRequest(FALCON_REQUEST)?.state, 'scheduled');
  });
});

// What Grady reads, through the bot: what he needs said once (the role list is long), every fact
// kept (not his own, or no such id; the permission; the roles and that they count on the
// request's catalog only; who assigns them; how to check the id), and no rights for cancelling
// his own request, which this is not.
describe('cancel access-request as Grady Archie on a package of another catalog, through the bot', () => {
  let r: Rig;
  rigPerTest((rig) => {
    r = rig;
  });

  it('names the roles once and the catalog they must be held on, and not the own-request path', async () => {
    const grady = r.user(r.seed.users.findIndex((u) => u.displayName === 'Grady Archie'));
    assert.equal(grady.name, 'Grady Archie');
    const { sent } = await r.message(grady, `cancel access-request ${FALCON_REQUEST}`);
    const reply = JSON.stringify(sent);
    const roles = 'Access package assignment manager, Access package manager or Catalog owner';
    assert.equal(reply.split(roles).length - 1, 1, `the role list once: ${reply}`);
    assert.equal(reply.split('Catalog reader').length - 1, 0, 'no role that would not help');
    assert.doesNotMatch(reply, /your own request you need/, 'not his own request: its rights are not of use');
    assert.match(reply, /It is not your own request/);
    assert.match(reply, /Missing: the role named below/);
    assert.match(reply, /EntitlementManagement\.ReadWrite\.All and the role Access package assignment manager/);
    assert.match(reply, /on the catalog of the access package \(or Identity Governance Administrator\)/);
    assert.match(reply, /catalog roles: each is held on one catalog/);
    assert.match(
      reply,
      /a Catalog owner of the request's catalog or an Identity Governance Administrator assigns them/,
    );
    assert.match(reply, /Check the id: \\"my requests\\" lists your own pending requests/);
    assert.equal(r.tenant.getAccessRequest(FALCON_REQUEST)?.state, 'scheduled');
  });
});
