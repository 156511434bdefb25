// Does the simulated tenant refuse what a request body does not declare, as Graph's OData layer
// does? An action takes only the parameters its page lists, and each object only the properties
// of its type; anything else is a 400 BadRequest and nothing happens. The pages:
// - cancelProcessing: one parameter, scope, a cancelRunsScope of runs, each a run by id
//   (https://learn.microsoft.com/graph/api/identitygovernance-workflow-cancelprocessing)
// - resume: data (customTaskExtensionCallbackData: operationStatus), source, type
//   (https://learn.microsoft.com/graph/api/identitygovernance-taskprocessingresult-resume)
// - approvalStage update: it sets "reviewResult" and "justification"
//   (https://learn.microsoft.com/graph/api/approvalstage-update); a name approvalStage does not
//   have at all (https://learn.microsoft.com/graph/api/resources/approvalstage) is refused in
//   OData's words ("The property 'x' does not exist on type '...'. Make sure to only use property
//   names that are defined by the type or mark the type as open type."); its other properties
//   (status, id...) are accepted and ignored, as no page says Graph refuses them
// - the beta cancel of an access package request: "a JSON representation of an
//   accessPackageAssignmentRequest object", its id and requestStatus for a requester
//   (https://learn.microsoft.com/graph/api/accesspackageassignmentrequest-cancel?view=graph-rest-beta)
// The words are OData's, as for checkMemberGroups (sandboxMemberGroups.test).

import { strict as assert } from 'node:assert';
import type { DemoSeed } from '../../src/sandbox/seed';
import type { SimulatedTenant } from '../../src/sandbox/tenant';
import { call, errorOf, graphTokenFor, jsonOf } from '../fixtures/tenantClient';
import { tenantSession } from '../fixtures/tenantSession';

const LCW = '/v1.0/identityGovernance/lifecycleWorkflows/workflows';
const SCOPE_TYPE = '#microsoft.graph.identityGovernance.cancelRunsScope';

describe('simulated tenant refuses properties a request body does not declare', () => {
  const session = tenantSession();
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  beforeEach(() => {
    ({ seed, tenant } = session);
  });
  const refused = (r: ReturnType<typeof session.call>, name: string) => {
    assert.equal(r.status, 400, r.body);
    assert.equal(errorOf(r).code, 'BadRequest');
    assert.match(errorOf(r).message, new RegExp(`'${name}'`));
  };

  it('cancelProcessing: an undeclared parameter, scope property or run property is refused; the run goes on', () => {
    const e = seed.examples;
    const url = `${LCW}/${e.workflowId}/cancelProcessing`;
    const run = { id: e.runId };
    refused(session.call('POST', url, { scope: { '@odata.type': SCOPE_TYPE, runs: [run] }, extra: 1 }), 'extra');
    refused(session.call('POST', url, { scope: { '@odata.type': SCOPE_TYPE, runs: [run], also: true } }), 'also');
    refused(session.call('POST', url, { scope: { '@odata.type': SCOPE_TYPE, runs: [{ ...run, bogus: 1 }] } }), 'bogus');
    assert.notEqual(tenant.getRun(e.workflowId, e.runId)?.processingStatus, 'canceling');
    assert.equal(session.call('POST', url, { scope: { '@odata.type': SCOPE_TYPE, runs: [run] } }).status, 204);
  });

  it('resume: an undeclared parameter or data property is refused; the result stays in progress', () => {
    const e = seed.examples;
    const url = `${LCW}/${e.taskWorkflowId}/tasks/${e.taskId}/taskProcessingResults/${e.taskProcessingResultId}/resume`;
    const body = { data: { operationStatus: 'completed' }, source: 'sample', type: 'lifecycleEvent' };
    refused(session.call('POST', url, { ...body, extra: 1 }), 'extra');
    refused(session.call('POST', url, { ...body, data: { operationStatus: 'completed', foo: 1 } }), 'foo');
    const status = () => tenant.getTaskResult(e.taskWorkflowId, e.taskId, e.taskProcessingResultId)?.processingStatus;
    assert.equal(status(), 'inProgress');
    assert.equal(session.call('POST', url, body).status, 204);
  });

  it('approvalStage update: a name the type lacks is refused in OData words; the stage stays undecided', () => {
    const megan = graphTokenFor(tenant, seed, 'Megan Bowen');
    const a = `/v1.0/identityGovernance/privilegedAccess/group/assignmentApprovals/${seed.examples.groupApprovalId}`;
    const stage = jsonOf<{ value: Array<{ id: string }> }>(call(tenant, 'GET', `${a}/stages`, { bearer: megan }))
      .value[0]!;
    const patch = (body: unknown) => call(tenant, 'PATCH', `${a}/stages/${stage.id}`, { bearer: megan, body });
    const r = patch({ reviewResult: 'Approve', justification: 'ok', notAProperty: 1 });
    refused(r, 'notAProperty');
    assert.equal(
      errorOf(r).message,
      "The property 'notAProperty' does not exist on type 'microsoft.graph.approvalStage'. Make sure to only use property names that are defined by the type or mark the type as open type.",
    );
    const after = jsonOf<{ reviewResult: string }>(call(tenant, 'GET', `${a}/stages/${stage.id}`, { bearer: megan }));
    assert.equal(after.reviewResult, 'NotReviewed');
  });

  it("approvalStage update: the type's own read-only properties are accepted and ignored", () => {
    const megan = graphTokenFor(tenant, seed, 'Megan Bowen');
    const a = `/v1.0/identityGovernance/privilegedAccess/group/assignmentApprovals/${seed.examples.groupApprovalId}`;
    const stage = jsonOf<{ value: Array<{ id: string; displayName: unknown }> }>(
      call(tenant, 'GET', `${a}/stages`, { bearer: megan }),
    ).value[0]!;
    const body = { reviewResult: 'Approve', justification: 'ok', status: 'NotStarted', displayName: 'renamed' };
    const r = call(tenant, 'PATCH', `${a}/stages/${stage.id}`, { bearer: megan, body: { ...body, id: stage.id } });
    assert.equal(r.status, 204, r.body);
    const after = jsonOf<{ reviewResult: string; status: string; displayName: unknown }>(
      call(tenant, 'GET', `${a}/stages/${stage.id}`, { bearer: megan }),
    );
    assert.equal(after.reviewResult, 'Approved');
    assert.equal(after.status, 'Completed');
    assert.deepEqual(after.displayName, stage.displayName);
  });

  it('beta cancel: a name the type lacks is refused; its own properties are accepted', () => {
    const id = seed.examples.accessRequestId;
    const cancel = (body: unknown) =>
      call(tenant, 'POST', `/beta/identityGovernance/entitlementManagement/assignmentRequests/${id}/cancel`, {
        bearer: graphTokenFor(tenant, seed, 'Adele Vance'),
        body,
      });
    const r = cancel({ id, requestStatus: 'cancelled', reason: 'x' });
    refused(r, 'reason');
    assert.match(errorOf(r).message, /does not exist on type 'microsoft\.graph\.accessPackageAssignmentRequest'/);
    assert.equal(tenant.getAccessRequest(id)?.state, 'pendingApproval');
    // Its own properties are the object's: accepted, and ignored but for what the cancel reads.
    assert.equal(cancel({ id, requestStatus: 'cancelled', justification: 'no longer needed' }).status, 200);
    assert.equal(tenant.getAccessRequest(id)?.state, 'canceled');
  });
});
