// Does the simulated tenant hold $select and the collection options on Lifecycle Workflows task
// processing results and workflows to what their pages document, as it does for the request types
// (tenantQueryOptions.test.ts)?
//
// - taskProcessingResult declares completedDateTime, createdDateTime, failureReason, id,
//   processingStatus and startedDateTime, and the relationships subject ("Supports $filter (eq, ne)
//   and $expand": no $select nested in it) and task; each property "Supports ... $orderby" except
//   failureReason
//   (https://learn.microsoft.com/en-us/graph/api/resources/identitygovernance-taskprocessingresult?view=graph-rest-1.0).
// - Its list pages: "This method supports the $select, $orderby, $expand, and $filter OData query
//   parameters" (https://learn.microsoft.com/en-us/graph/api/identitygovernance-run-list-taskprocessingresults?view=graph-rest-1.0,
//   https://learn.microsoft.com/en-us/graph/api/identitygovernance-userprocessingresult-list-taskprocessingresults?view=graph-rest-1.0):
//   $top, $skip, $count and $search are refused, as on the other collections.
// - workflow declares category, createdDateTime, deletedDateTime, description, displayName,
//   executionConditions, id, isEnabled, isSchedulingEnabled, lastModifiedDateTime,
//   nextScheduleRunDateTime and version
//   (https://learn.microsoft.com/en-us/graph/api/resources/identitygovernance-workflow?view=graph-rest-1.0);
//   its get page "supports the $select and $expand OData query parameters"
//   (https://learn.microsoft.com/en-us/graph/api/identitygovernance-workflow-get?view=graph-rest-1.0).
// - An unknown $select is a 400 in the words of Graph's OData parser
//   (https://github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/4529).

import { strict as assert } from 'node:assert';
import { errorOf, jsonOf } from '../fixtures/tenantClient';
import { tenantSession } from '../fixtures/tenantSession';

const LCW = '/v1.0/identityGovernance/lifecycleWorkflows/workflows';
const RESULT = 'microsoft\\.graph\\.identityGovernance\\.taskProcessingResult';
const WORKFLOW = 'microsoft\\.graph\\.identityGovernance\\.workflow';

describe('simulated tenant holds Lifecycle Workflows task results and workflows to their query options', () => {
  const session = tenantSession();
  const get = (url: string) => session.call('GET', url, undefined, { prefer: 'include-unknown-enum-members' });
  const ok = <T = Record<string, unknown>>(url: string): T => {
    const r = get(url);
    assert.equal(r.status, 200, `${url}: ${r.body ?? ''}`);
    return jsonOf<T>(r);
  };
  const refused = (url: string, message: RegExp) => {
    const r = get(url);
    assert.equal(r.status, 400, `${url}: ${r.body ?? ''}`);
    const e = errorOf(r);
    assert.equal(e.code, 'BadRequest', url);
    assert.match(e.innerError?.['request-id'] ?? '', /^[0-9a-f-]{36}$/);
    assert.match(e.message, message, url);
  };
  const results = () => {
    const e = session.seed.examples;
    return `${LCW}/${e.taskWorkflowId}/tasks/${e.taskId}/taskProcessingResults`;
  };

  it('an unknown $select on a task processing result, read by id or listed, is a 400 naming it and the type', () => {
    const byId = `${results()}/${session.seed.examples.taskProcessingResultId}`;
    for (const path of [byId, results()]) {
      refused(
        `${path}?$select=id,displayNam`,
        new RegExp(
          `^Parsing OData Select and Expand failed: Could not find a property named 'displayNam' on type '${RESULT}'\\.$`,
        ),
      );
    }
    // Every declared property and relationship reads; what the seeded row carries is all declared.
    ok(
      `${byId}?$select=id,completedDateTime,createdDateTime,failureReason,processingStatus,startedDateTime,subject,task`,
    );
    const keys = Object.keys(ok(byId)).filter((k) => !k.startsWith('@odata.'));
    const cut = ok(`${byId}?$select=processingStatus`);
    assert.deepEqual(
      Object.keys(cut)
        .filter((k) => !k.startsWith('@odata.'))
        .sort(),
      ['id', 'processingStatus'],
    );
    ok(`${byId}?$select=${keys.join(',')}`);
    // subject documents $expand, not a $select nested in it.
    refused(`${byId}?$expand=subject($select=id)`, /subject/);
  });

  it('the task processing results list takes $orderby where the resource documents it and refuses $top, $skip, $count', () => {
    const ids = (q: string) => ok<{ value: Array<{ id: string }> }>(`${results()}?${q}`).value.map((v) => v.id);
    const asc = ids('$orderby=id');
    assert.ok(asc.length > 1, 'the seed has several results for the task');
    assert.deepEqual(asc, [...asc].sort());
    assert.deepEqual(ids('$orderby=id desc'), [...asc].reverse());
    ok(`${results()}?$orderby=createdDateTime,processingStatus desc`);
    refused(`${results()}?$orderby=failureReason`, /does not support \$orderby/);
    refused(`${results()}?$top=1`, /Query option 'Top' is not allowed/);
    refused(`${results()}?$skip=1`, /Query option 'Skip' is not allowed/);
    refused(`${results()}?$count=true`, /Query option 'Count' is not allowed/);
    refused(`${results()}?$search=x`, /Query option 'Search' is not allowed/);
  });

  it('an unknown $select on a workflow is a 400 naming it and the type; its declared properties read', () => {
    const w = `${LCW}/${session.seed.examples.workflowId}`;
    refused(
      `${w}?$select=id,runs2`,
      new RegExp(
        `^Parsing OData Select and Expand failed: Could not find a property named 'runs2' on type '${WORKFLOW}'\\.$`,
      ),
    );
    ok(
      `${w}?$select=category,createdDateTime,deletedDateTime,description,displayName,executionConditions,id,isEnabled,` +
        'isSchedulingEnabled,lastModifiedDateTime,nextScheduleRunDateTime,version',
    );
    const keys = Object.keys(ok(w)).filter((k) => !k.startsWith('@odata.'));
    ok(`${w}?$select=${keys.join(',')}`);
    refused(`${w}?$top=1`, /not a collection/);
  });
});
