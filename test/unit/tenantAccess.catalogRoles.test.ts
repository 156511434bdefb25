// The simulated tenant's entitlement management roles are catalog roles: Catalog reader, Access
// package assignment manager, Access package manager and Catalog owner are assigned on one catalog
// and count only for the access packages in it, as in Entra ("If you have a catalog for all the
// access packages needed by sales, you could assign someone to be responsible for that catalog, by
// assigning them a catalog-specific role":
// https://learn.microsoft.com/en-us/entra/id-governance/entitlement-management-delegate).
// Identity Governance Administrator, Global Reader and Security Reader stay tenant-wide.

import { strict as assert } from 'node:assert';
import type { DemoSeed } from '../../src/sandbox/seed';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { call, errorOf, graphTokenFor } from '../fixtures/tenantClient';

const EM_REQ = '/v1.0/identityGovernance/entitlementManagement/assignmentRequests';
// Seed requests: Contoso sales portal (catalog "Sales and marketing", where Grady Archie is Access
// package assignment manager) and Project Falcon / Finance reports (catalog "Finance and projects").
const SALES_PORTAL_REQUEST = '7999249e-249e-7999-9e24-99799e24997a';
const FALCON_REQUEST = '7999249e-249e-7999-9e24-99799e24997b';
const FINANCE_REQUEST = '7999249e-249e-7999-9e24-99799e249984';
const GRADY = 'Grady Archie';

describe('simulated tenant: entitlement management roles are held per catalog', () => {
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  const as = (name: string) => graphTokenFor(tenant, seed, name);
  const post = (name: string, url: string, body?: unknown) => call(tenant, 'POST', url, { bearer: as(name), body });
  const get = (name: string, url: string) => call(tenant, 'GET', url, { bearer: as(name) });
  const packageIdOf = (requestId: string): string => {
    const r = get('Megan Bowen', `${EM_REQ}/${requestId}?$expand=accessPackage`);
    return (JSON.parse(r.body ?? '{}') as { accessPackage: { id: string } }).accessPackage.id;
  };
  const ids = (body: string | undefined) =>
    (JSON.parse(body ?? '{}') as { value: Array<{ id: string }> }).value.map((v) => v.id);

  beforeEach(() => {
    seed = loadDemoSeed();
    tenant = new SimulatedTenant(seed);
  });

  // https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-cancel?view=graph-rest-1.0
  // (administrators cancelling requests submitted by others: EntitlementManagement.ReadWrite.All and
  // an entitlement management role, Access package assignment manager the least privileged)
  it('cancel: a catalog role works for requests of its catalog only', () => {
    const other = post(GRADY, `${EM_REQ}/${FALCON_REQUEST}/cancel`);
    assert.equal(other.status, 403, other.body);
    assert.equal(errorOf(other).code, 'Authorization_RequestDenied');
    assert.equal(tenant.getAccessRequest(FALCON_REQUEST)?.state, 'scheduled');
    assert.equal(post(GRADY, `${EM_REQ}/${FINANCE_REQUEST}/cancel`).status, 403);
    assert.equal(post(GRADY, `${EM_REQ}/${SALES_PORTAL_REQUEST}/cancel`).status, 200, 'his catalog');
    // An unknown id is in no catalog: a catalog role cannot learn that it does not exist.
    const unknown = `${EM_REQ}/00000000-0000-0000-0000-0000000000ff/cancel`;
    assert.equal(post(GRADY, unknown).status, 403);
    assert.equal(post('Megan Bowen', unknown).status, 404, 'Identity Governance Administrator: tenant-wide');
  });

  // The self-service way in is unchanged: "End users canceling their own request: The signed-in
  // user doesn't need an administrator role" (same page).
  it('cancel: one’s own request in another catalog still goes through as self-service', () => {
    tenant.addAccessRequest({
      id: '7999249e-249e-7999-9e24-99799e2499a8',
      state: 'pendingApproval',
      status: 'PendingApproval',
      accessPackageName: 'Finance reports',
      requestor: GRADY,
      requestType: 'userAdd',
    });
    assert.equal(post(GRADY, `${EM_REQ}/7999249e-249e-7999-9e24-99799e2499a8/cancel`).status, 200);
  });

  // https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-get?view=graph-rest-1.0
  it('get by id: a catalog role reads requests of its catalog only', () => {
    assert.equal(get(GRADY, `${EM_REQ}/${SALES_PORTAL_REQUEST}`).status, 200);
    const other = get(GRADY, `${EM_REQ}/${FALCON_REQUEST}`);
    assert.equal(other.status, 403, other.body);
    assert.equal(errorOf(other).code, 'Authorization_RequestDenied');
    assert.equal(get(GRADY, `${EM_REQ}/00000000-0000-0000-0000-0000000000ff`).status, 403);
    assert.equal(get('Megan Bowen', `${EM_REQ}/${FALCON_REQUEST}`).status, 200);
  });

  // https://learn.microsoft.com/en-us/graph/api/entitlementmanagement-list-assignmentrequests?view=graph-rest-1.0
  // ("If the user or application only has permissions within a specific catalog or catalogs, you
  // must include in the query a filter which specifies an access package, such as
  // $expand=accessPackage&$filter=accessPackage/id eq '…'")
  it('list: a catalog-only caller must filter on an access package of a catalog of theirs', () => {
    const sales = packageIdOf(SALES_PORTAL_REQUEST);
    const falcon = packageIdOf(FALCON_REQUEST);
    const unfiltered = get(GRADY, EM_REQ);
    assert.equal(unfiltered.status, 403, unfiltered.body);
    assert.equal(errorOf(unfiltered).code, 'Authorization_RequestDenied');
    const q = (id: string) =>
      `${EM_REQ}?$expand=accessPackage&$filter=${encodeURIComponent(`accessPackage/id eq '${id}'`)}`;
    const mine = get(GRADY, q(sales));
    assert.equal(mine.status, 200, mine.body);
    assert.ok(ids(mine.body).includes(SALES_PORTAL_REQUEST));
    assert.ok(!ids(mine.body).includes(FALCON_REQUEST));
    assert.equal(get(GRADY, q(falcon)).status, 403, 'a package of another catalog');
    // A tenant-wide role reads every catalog's requests, filtered or not.
    assert.ok(ids(get('Megan Bowen', EM_REQ).body).includes(FALCON_REQUEST));
    assert.equal(get('Megan Bowen', q(falcon)).status, 200);
  });

  it('refuses a seed that gives a catalog role tenant-wide, naming the user and the role', () => {
    const wrong: DemoSeed = {
      ...seed,
      users: seed.users.map((u) => (u.displayName === GRADY ? { ...u, roles: ['Catalog owner'] } : u)),
    };
    assert.throws(() => new SimulatedTenant(wrong), /Grady Archie holds "Catalog owner" under roles.*per catalog/);
  });
});
