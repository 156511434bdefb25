// The approver filter over approvals reads approval objects, not requests: a $filter or $expand
// that names a request's property is not one the approval type has, and Graph refuses it rather
// than answering every approval as if the filter had held. The approval has `id` and its stages
// (v1.0 `stages`, beta `steps`), and its filter page documents only the paging options.
// https://learn.microsoft.com/en-us/graph/api/approval-filterbycurrentuser?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/api/resources/approval?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/query-parameters#error-handling-for-query-parameters

import { strict as assert } from 'node:assert';
import type { DemoSeed } from '../../src/sandbox/seed';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { call, graphTokenFor, jsonOf } from '../fixtures/tenantClient';

const FILTERS = [
  "/beta/roleManagement/directory/roleAssignmentApprovals/filterByCurrentUser(on='approver')",
  "/v1.0/identityGovernance/privilegedAccess/group/assignmentApprovals/filterByCurrentUser(on='approver')",
  "/v1.0/identityGovernance/entitlementManagement/accessPackageAssignmentApprovals/filterByCurrentUser(on='approver')",
];

describe('simulated tenant: the approvals’ approver filter takes only what the approval type has', () => {
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  const get = (url: string) => call(tenant, 'GET', url, { bearer: graphTokenFor(tenant, seed, 'Megan Bowen') });

  beforeEach(() => {
    seed = loadDemoSeed();
    tenant = new SimulatedTenant(seed, { now: () => Date.parse('2026-03-02T09:00:00Z') });
  });

  it('answers without a query, each approval with its id', () => {
    for (const url of FILTERS) {
      const r = get(url);
      assert.equal(r.status, 200, url);
      assert.ok(jsonOf<{ value: unknown[] }>(r).value.length > 0, url);
    }
  });

  it('refuses a $filter on a request property (status) instead of ignoring it', () => {
    for (const url of FILTERS) {
      const r = get(`${url}?$filter=${encodeURIComponent("status eq 'Denied'")}`);
      assert.equal(r.status, 400, `${url}: ${r.status}`);
    }
  });

  it('refuses a $expand of a request navigation property (principal, requestor)', () => {
    assert.equal(get(`${FILTERS[0]!}?$expand=principal`).status, 400);
    assert.equal(get(`${FILTERS[1]!}?$expand=principal`).status, 400);
    assert.equal(get(`${FILTERS[2]!}?$expand=requestor`).status, 400);
  });

  it('refuses $select of a property the approval does not have', () => {
    assert.equal(get(`${FILTERS[2]!}?$select=state`).status, 400);
  });

  // A read of one approval is not a collection: $filter and its kin are refused there (Graph's
  // query-parameters page: such an option fails or is refused), and $expand names only its stages.
  // https://learn.microsoft.com/en-us/graph/api/approval-get?view=graph-rest-1.0
  it('refuses a collection option or a request navigation on the read of one approval', () => {
    const one = `/v1.0/identityGovernance/entitlementManagement/accessPackageAssignmentApprovals/${seed.examples.accessApprovalId}`;
    assert.equal(get(one).status, 200);
    assert.equal(get(`${one}?$filter=${encodeURIComponent("id eq 'x'")}`).status, 400);
    assert.equal(get(`${one}?$top=1`).status, 400);
    assert.equal(get(`${one}?$expand=requestor`).status, 400);
    const role = `/beta/roleManagement/directory/roleAssignmentApprovals/${seed.examples.roleApprovalId}`;
    assert.equal(get(role).status, 200);
    assert.equal(get(`${role}?$expand=stages`).status, 400);
  });
});
