// Does the simulated tenant hold the generic OData query options to what Microsoft documents, no
// laxer and no stricter?
//
// - $select names a declared property (the resource page's Properties table) or a relationship;
//   anything else is a 400, in the words of Graph's OData parser: "Parsing OData Select and Expand
//   failed: Could not find a property named 'usedLicenseCount' on type 'microsoft.graph.mobileApp'."
//   (https://github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/4529).
//   https://learn.microsoft.com/en-us/graph/api/resources/unifiedroleassignmentschedulerequest?view=graph-rest-1.0
//   https://learn.microsoft.com/en-us/graph/api/resources/privilegedaccessgroupassignmentschedulerequest?view=graph-rest-1.0
//   https://learn.microsoft.com/en-us/graph/api/resources/accesspackageassignmentrequest?view=graph-rest-1.0
// - $select nested in $expand: "GET /me/drive/root?$expand=children($select=id,name)"
//   (https://learn.microsoft.com/en-us/graph/query-parameters#expand-parameter), taken and applied
//   where the relationship's row says "Supports $expand and $select nested in $expand"
//   (roleDefinition; principal "for id only"); refused where the row says $expand only ("Not all
//   resources or relationships support using $select on expanded items", same page).
// - $filter, $orderby, $top, $skip, $count apply to collections
//   (https://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part2-url-conventions.html §5.1);
//   an unsupported option "might fail silently" or answer an error
//   (https://learn.microsoft.com/en-us/graph/query-parameters#error-handling-for-query-parameters):
//   the tenant answers the error, on a read by id and for options the list pages do not name
//   (https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0:
//   "supports the $select, $filter, and $expand OData query parameters";
//   https://learn.microsoft.com/en-us/graph/api/entitlementmanagement-list-assignmentrequests?view=graph-rest-1.0:
//   "This method supports the $select, $expand and $filter OData query parameters").
// - filterByCurrentUser takes its `on` function parameter; without it the call is a 400, not the
//   404 of an item named "filterByCurrentUser"
//   (https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0,
//   "Function parameters": on).

import { strict as assert } from 'node:assert';
import { errorOf, jsonOf } from '../fixtures/tenantClient';
import { tenantSession } from '../fixtures/tenantSession';

const ROLE = '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests';
const GROUP = '/v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests';
const ACCESS = '/v1.0/identityGovernance/entitlementManagement/assignmentRequests';
const LCW = '/v1.0/identityGovernance/lifecycleWorkflows/workflows';

describe('simulated tenant holds the generic OData query options to the docs', () => {
  const session = tenantSession();
  const get = (url: string) => session.call('GET', url);
  const ok = <T = Record<string, unknown>>(url: string): T => {
    const r = get(url);
    assert.equal(r.status, 200, `${url}: ${r.body ?? ''}`);
    return jsonOf<T>(r);
  };
  const refused = (url: string, message?: RegExp) => {
    const r = get(url);
    assert.equal(r.status, 400, `${url}: ${r.body ?? ''}`);
    const e = errorOf(r);
    assert.equal(e.code, 'BadRequest', url);
    assert.match(e.innerError?.['request-id'] ?? '', /^[0-9a-f-]{36}$/);
    if (message) assert.match(e.message, message, url);
  };

  it('an unknown $select property is a 400 naming it and the type', () => {
    const { roleRequestId, groupRequestId, accessRequestId } = session.seed.examples;
    const cases: Array<[string, string]> = [
      [`${ROLE}/${roleRequestId}`, 'microsoft.graph.unifiedRoleAssignmentScheduleRequest'],
      [ROLE, 'microsoft.graph.unifiedRoleAssignmentScheduleRequest'],
      [`${ROLE}/filterByCurrentUser(on='principal')`, 'microsoft.graph.unifiedRoleAssignmentScheduleRequest'],
      [`${GROUP}/${groupRequestId}`, 'microsoft.graph.privilegedAccessGroupAssignmentScheduleRequest'],
      [`${ACCESS}/${accessRequestId}`, 'microsoft.graph.accessPackageAssignmentRequest'],
      [ACCESS, 'microsoft.graph.accessPackageAssignmentRequest'],
      [`${ACCESS}/filterByCurrentUser(on='target')`, 'microsoft.graph.accessPackageAssignmentRequest'],
    ];
    for (const [path, type] of cases) {
      refused(
        `${path}?$select=id,displayNam`,
        new RegExp(
          `^Parsing OData Select and Expand failed: Could not find a property named 'displayNam' on type '${type.replace(/\./g, '\\.')}'\\.$`,
        ),
      );
    }
  });

  it('every declared property and relationship can be selected, and what the bot selects still reads', () => {
    const { roleRequestId, groupRequestId, accessRequestId } = session.seed.examples;
    ok(
      `${ROLE}/${roleRequestId}?$select=action,approvalId,appScopeId,completedDateTime,createdBy,createdDateTime,` +
        'customData,directoryScopeId,id,isValidationOnly,justification,principalId,roleDefinitionId,scheduleInfo,' +
        'status,targetScheduleId,ticketInfo,roleDefinition',
    );
    ok(`${GROUP}/${groupRequestId}?$select=accessId,groupId,ticketInfo,group`);
    ok(`${ACCESS}/${accessRequestId}?$select=requestType,state,status,schedule,answers,accessPackage`);
    // The admin list's page lists $select too.
    ok(`${ACCESS}?$select=id,state,createdDateTime&$expand=accessPackage`);
    ok(`${ROLE}/${roleRequestId}?$select=*`);
    // Every property a seeded row carries is a declared one: the tenant never sends what $select refuses.
    const { workflowId, runId } = session.seed.examples;
    for (const path of [
      `${ROLE}/${roleRequestId}`,
      `${GROUP}/${groupRequestId}`,
      `${ACCESS}/${accessRequestId}`,
      `${LCW}/${workflowId}/runs/${runId}`,
    ]) {
      const keys = Object.keys(ok(path)).filter((k) => !k.startsWith('@odata.'));
      ok(`${path}?$select=${keys.join(',')}`);
    }
    // myWorkSources.ts ROLE_REQUEST_SELECT.
    const mine = ok<{ value: unknown[] }>(
      `${ROLE}/filterByCurrentUser(on='principal')?$select=id,createdDateTime,principalId,createdBy,justification,scheduleInfo,action&$expand=roleDefinition`,
    );
    assert.ok(Array.isArray(mine.value));
  });

  it('a $select nested in $expand is taken and applied where the relationship documents it', () => {
    const { roleRequestId, groupRequestId } = session.seed.examples;
    const full = ok<{ roleDefinition: Record<string, unknown> }>(`${ROLE}/${roleRequestId}?$expand=roleDefinition`);
    assert.ok(full.roleDefinition.displayName, 'the seed names the role');
    const cut = ok<{ roleDefinition: Record<string, unknown>; principal: Record<string, unknown>; status: string }>(
      `${ROLE}/${roleRequestId}?$expand=roleDefinition($select=id),principal($select=id)`,
    );
    assert.deepEqual(Object.keys(cut.roleDefinition), ['id']);
    assert.equal(cut.principal.id !== undefined && cut.principal.displayName === undefined, true);
    assert.ok(cut.status, 'the request itself is not cut');
    const named = ok<{ roleDefinition: Record<string, unknown> }>(
      `${ROLE}/${roleRequestId}?$select=id&$expand=roleDefinition($select=displayName)`,
    );
    assert.equal(named.roleDefinition.displayName, full.roleDefinition.displayName);
    ok(`${GROUP}/${groupRequestId}?$expand=group($select=id,displayName)`);
    // principal: "for id only"; roleDefinition: properties of unifiedRoleDefinition only.
    refused(`${ROLE}/${roleRequestId}?$expand=principal($select=displayName)`, /microsoft\.graph\.directoryObject/);
    refused(`${ROLE}/${roleRequestId}?$expand=roleDefinition($select=nope)`, /microsoft\.graph\.unifiedRoleDefinition/);
  });

  it('a $select nested in $expand of a relationship that documents $expand only is refused', () => {
    const { accessRequestId, roleRequestId } = session.seed.examples;
    refused(`${ACCESS}/${accessRequestId}?$expand=accessPackage($select=displayName)`, /accessPackage/);
    refused(`${ROLE}/${roleRequestId}?$expand=roleDefinition($filter=id eq 'x')`, /\$filter/);
    refused(`${ROLE}/${roleRequestId}?$expand=roleDefinition($select=id`, /unbalanced/);
  });

  it('$filter, $orderby, $top, $skip and $count on a read by id are refused', () => {
    const { roleRequestId, groupRequestId, accessRequestId, workflowId, runId } = session.seed.examples;
    for (const path of [
      `${ROLE}/${roleRequestId}`,
      `${GROUP}/${groupRequestId}`,
      `${ACCESS}/${accessRequestId}`,
      `${LCW}/${workflowId}/runs/${runId}`,
    ]) {
      refused(`${path}?$filter=${encodeURIComponent("status eq 'Canceled'")}`, /not a collection/);
      for (const q of ['$orderby=createdDateTime', '$top=1', '$skip=1', '$count=true']) refused(`${path}?${q}`);
    }
  });

  it('$top, $orderby, $skip and $count on the PIM and entitlement management collections are refused', () => {
    for (const path of [
      ROLE,
      `${ROLE}/filterByCurrentUser(on='principal')`,
      `${ROLE}/filterByCurrentUser(on='approver')`,
      `${GROUP}/filterByCurrentUser(on='principal')`,
      `${GROUP}/filterByCurrentUser(on='approver')`,
      ACCESS,
      `${ACCESS}/filterByCurrentUser(on='target')`,
      `${ACCESS}/filterByCurrentUser(on='approver')`,
    ]) {
      refused(`${path}?$top=5`, /Query option 'Top' is not allowed/);
      refused(`${path}?$orderby=createdDateTime desc`, /Query option 'OrderBy' is not allowed/);
      refused(`${path}?$skip=5`);
      refused(`${path}?$count=true`);
    }
  });

  it('workflow runs: $orderby is applied on the properties that document it; $top and unknown $select are refused', () => {
    // https://learn.microsoft.com/en-us/graph/api/identitygovernance-workflow-list-runs?view=graph-rest-1.0:
    // "supports the $select, $orderby, and $filter OData query parameters"; the run page's rows say
    // which properties support $orderby (startedDateTime does, id does not)
    // (https://learn.microsoft.com/en-us/graph/api/resources/identitygovernance-run?view=graph-rest-1.0).
    const runs = `${LCW}/${session.seed.examples.workflowId}/runs`;
    // Every member shown (Prefer: include-unknown-enum-members), so the order is of the stored values.
    const statuses = (q: string) => {
      const r = session.call('GET', `${runs}?${q}`, undefined, { prefer: 'include-unknown-enum-members' });
      assert.equal(r.status, 200, r.body ?? '');
      return jsonOf<{ value: Array<{ processingStatus: string }> }>(r).value.map((v) => v.processingStatus);
    };
    const asc = statuses('$orderby=processingStatus');
    assert.ok(new Set(asc).size > 2, 'the seed has runs in several states');
    assert.deepEqual(asc, [...asc].sort());
    assert.deepEqual(statuses('$orderby=processingStatus desc'), [...asc].reverse());
    refused(`${runs}?$orderby=id`, /does not support \$orderby/);
    refused(`${runs}?$top=1`, /Query option 'Top' is not allowed/);
    refused(
      `${runs}?$select=id,nope`,
      /Could not find a property named 'nope' on type 'microsoft\.graph\.identityGovernance\.run'/,
    );
    ok(
      `${runs}?$select=id,failedTasksCount,failedUsersCount,processingStatus,totalTasksCount,totalUnprocessedTasksCount,totalUsersCount`,
    );
  });

  it('filterByCurrentUser without its on parameter is a 400 saying what to send', () => {
    for (const path of [ROLE, GROUP, ACCESS]) {
      refused(`${path}/filterByCurrentUser`, /requires its parameter 'on'/);
      refused(`${path}/filterByCurrentUser()`, /requires its parameter 'on'/);
    }
  });
});
