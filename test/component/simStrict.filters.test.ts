// Does the simulated tenant take only the $filter clauses the pages list as supported, and refuse
// the others as the service does? A property's row on its resource page says "Supports $filter
// (eq, ne)" (or eq only) when it can be filtered on; a row that says nothing cannot. Those rows
// apply to every collection read of the type (its list and its filterByCurrentUser function;
// the accessPackageAssignmentRequest filterByCurrentUser page has no query parameter section of
// its own: silent).
//
// - unifiedRoleAssignmentScheduleRequest: id, status, principalId, roleDefinitionId,
//   directoryScopeId, appScopeId, targetScheduleId; not action.
//   https://learn.microsoft.com/en-us/graph/api/resources/unifiedroleassignmentschedulerequest?view=graph-rest-1.0
// - privilegedAccessGroupAssignmentScheduleRequest: id, status, principalId, targetScheduleId; not
//   action or accessId; groupId with eq (the list page requires `$filter (eq)` on principalId or groupId).
//   https://learn.microsoft.com/en-us/graph/api/resources/privilegedaccessgroupassignmentschedulerequest?view=graph-rest-1.0
//   https://learn.microsoft.com/en-us/graph/api/privilegedaccessgroup-list-assignmentschedulerequests?view=graph-rest-1.0
// - accessPackageAssignmentRequest: state (eq), createdDateTime; not id, status or requestType; the
//   list page adds accessPackage/id eq.
//   https://learn.microsoft.com/en-us/graph/api/resources/accesspackageassignmentrequest?view=graph-rest-1.0
//   https://learn.microsoft.com/en-us/graph/api/entitlementmanagement-list-assignmentrequests?view=graph-rest-1.0
// - run: processingStatus, workflowExecutionType; not id.
//   https://learn.microsoft.com/en-us/graph/api/resources/identitygovernance-run?view=graph-rest-1.0
// The refusal: entitlement management answers 400 InvalidFilter, "OData query is invalid: Filter
// '<property> Equals <value> is not supported. .", with "details": [] and innerError
// (https://github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/8922); PIM 400
// InvalidFilter (graph-reference §10.2, a field report); Lifecycle Workflows' code is not
// documented (400 BadRequest here).

import { strict as assert } from 'node:assert';
import type { DemoSeed } from '../../src/sandbox/seed';
import { errorOf, jsonOf } from '../fixtures/tenantClient';
import { tenantSession } from '../fixtures/tenantSession';

const ROLE = '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests';
const GROUP = '/v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests';
const ACCESS = '/v1.0/identityGovernance/entitlementManagement/assignmentRequests';
const LCW = '/v1.0/identityGovernance/lifecycleWorkflows/workflows';

describe('simulated tenant takes only the documented $filter clauses', () => {
  const session = tenantSession();
  let seed: DemoSeed;
  beforeEach(() => {
    ({ seed } = session);
  });
  /** A GET as the first seed user (Megan Bowen: every permission and the admin roles). */
  const get = (path: string, filter: string) => session.call('GET', `${path}?$filter=${encodeURIComponent(filter)}`);
  const ok = (path: string, filter: string) => {
    const r = get(path, filter);
    assert.equal(r.status, 200, `${filter}: ${r.body ?? ''}`);
    return jsonOf<{ value: Array<{ id: string }> }>(r).value;
  };
  const refused = (path: string, filter: string, code: string) => {
    const r = get(path, filter);
    assert.equal(r.status, 400, `${filter}: ${r.body ?? ''}`);
    const e = errorOf(r);
    assert.equal(e.code, code, filter);
    assert.match(e.innerError?.['request-id'] ?? '', /^[0-9a-f-]{36}$/);
    return { e, body: jsonOf<{ error: { details?: unknown } }>(r) };
  };

  it('access package requests: id, status and requestType are refused as entitlement management does', () => {
    const id = seed.examples.accessRequestId;
    for (const path of [`${ACCESS}/filterByCurrentUser(on='target')`, ACCESS]) {
      const { e, body } = refused(path, `id eq '${id}'`, 'InvalidFilter');
      assert.equal(e.message, `OData query is invalid: Filter 'id Equals ${id} is not supported. .`);
      assert.deepEqual(body.error.details, []);
      refused(path, "status eq 'PendingApproval'", 'InvalidFilter');
      refused(path, "requestType eq 'userAdd'", 'InvalidFilter');
      refused(path, "state ne 'delivered'", 'InvalidFilter');
      ok(path, "state eq 'pendingApproval'");
    }
    const pkg = ok(ACCESS, "state eq 'pendingApproval'");
    assert.ok(pkg.some((r) => r.id === id));
  });

  it('PIM role requests: id and status are taken; action is refused with InvalidFilter', () => {
    const id = seed.examples.roleRequestId;
    assert.deepEqual(
      ok(ROLE, `id eq '${id}'`).map((r) => r.id),
      [id],
    );
    ok(ROLE, "status ne 'Canceled'");
    ok(`${ROLE}/filterByCurrentUser(on='approver')`, "status eq 'PendingApproval'");
    const { e } = refused(ROLE, "action eq 'selfActivate'", 'InvalidFilter');
    assert.equal(e.message, "The action eq 'selfActivate' filter is invalid.");
    refused(`${ROLE}/filterByCurrentUser(on='principal')`, "action eq 'selfActivate'", 'InvalidFilter');
  });

  it('PIM group requests: id, status, principalId and groupId eq are taken; accessId, action and groupId ne are refused', () => {
    const mine = `${GROUP}/filterByCurrentUser(on='principal')`;
    ok(mine, `id eq '${seed.examples.groupRequestId}'`);
    ok(mine, "status eq 'PendingApproval'");
    refused(mine, "accessId eq 'member'", 'InvalidFilter');
    refused(mine, "action eq 'selfActivate'", 'InvalidFilter');
    const principal = seed.users[0]!.id;
    ok(GROUP, `principalId eq '${principal}'`);
    refused(GROUP, `principalId eq '${principal}' and groupId ne 'x'`, 'InvalidFilter');
  });

  it('workflow runs: processingStatus is taken, id is refused', () => {
    const runs = `${LCW}/${seed.examples.workflowId}/runs`;
    ok(runs, "processingStatus eq 'inProgress'");
    refused(runs, `id eq '${seed.examples.runId}'`, 'BadRequest');
  });
});
