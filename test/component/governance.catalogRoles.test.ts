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
import { GraphGateway } from '../../src/graph/graphGateway';
import { tenantFetch } from '../../src/sandbox/server';
import { DemoSeed, loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { graphTokenFor } from '../fixtures/tenantClient';

const BASE = 'https://127.0.0.1:9443';
const SALES_PORTAL_REQUEST = '7999249e-249e-7999-9e24-99799e24997a';
const FALCON_REQUEST = '7999249e-249e-7999-9e24-99799e24997b';

describe('governance: a catalog role counts on its own catalog only', () => {
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  let svc: GovernanceService;
  const clock = Date.UTC(2026, 0, 5, 9);

  beforeEach(() => {
    seed = loadDemoSeed();
    tenant = new SimulatedTenant(seed, { now: () => clock });
    const graph = new GraphGateway({ graphEndpoint: BASE, fetch: tenantFetch(tenant, BASE), now: () => clock });
    let n = 0;
    svc = new GovernanceService({
      cloud: 'global',
      graph,
      audit: () => undefined,
      newId: () => `c-${++n}`,
      now: () => clock,
    });
  });

  const actor = (displayName: string): Actor => {
    const user = seed.users.find((u) => u.displayName === displayName)!;
    const token = graphTokenFor(tenant, seed, displayName, BASE);
    return { aadObjectId: user.id, getToken: () => Promise.resolve(token) };
  };
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
    assert.match(
      words.what,
      /Missing: the role Access package assignment manager[^.]* on the catalog of the access package/,
    );
    assert.match(words.next, /Identity Governance Administrator/);
    assert.match(words.next, /catalog roles: each is held on one catalog/);
    assert.equal(tenant.getAccessRequest(FALCON_REQUEST)?.state, 'scheduled');
  });
});
