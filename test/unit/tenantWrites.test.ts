// The simulated tenant's Graph writes against reference/graph-reference.md: the cancel of a PIM role,
// PIM group and access package request and of a workflow run, the resume of a custom task, each in
// its versions and action-name forms, with its status codes and state machine; reads, unknown ids,
// routes and methods.

import { strict as assert } from 'node:assert';
import type { DemoSeed } from '../../src/sandbox/seed';
import type { SimulatedTenant } from '../../src/sandbox/tenant';
import { errorOf } from '../fixtures/tenantClient';
import { tenantSession } from '../fixtures/tenantSession';

describe('simulated tenant', () => {
  const session = tenantSession();
  const { call } = session;
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  // The session's beforeEach, registered first, has made this test's tenant by now.
  beforeEach(() => {
    ({ seed, tenant } = session);
  });

  describe('Graph writes', () => {
    it('PIM role cancel: 204 in v1.0 and beta, status Canceled, then 400 RequestCannotBeCancelled', () => {
      const id = seed.examples.roleRequestId;
      const r = call('POST', `/v1.0/roleManagement/directory/roleAssignmentScheduleRequests/${id}/cancel`);
      assert.equal(r.status, 204);
      assert.equal(r.body, undefined);
      assert.equal(tenant.getRoleRequest(id)?.status, 'Canceled');
      const again = call(
        'POST',
        `/beta/roleManagement/directory/roleAssignmentScheduleRequests/${id.toUpperCase()}/cancel`,
      );
      assert.equal(again.status, 400);
      assert.equal(errorOf(again).code, 'RequestCannotBeCancelled');
      const granted = call(
        'POST',
        '/beta/roleManagement/directory/roleAssignmentScheduleRequests/95c690fb-3eb3-4942-a03f-4524aed6f320/cancel',
      );
      assert.equal(granted.status, 204, 'Granted is cancellable');
    });

    it('PIM group cancel: 204; Provisioned refused', () => {
      assert.equal(
        call(
          'POST',
          `/v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests/${seed.examples.groupRequestId}/cancel`,
        ).status,
        204,
      );
      assert.equal(tenant.getGroupRequest(seed.examples.groupRequestId)?.status, 'Canceled');
      assert.equal(
        call(
          'POST',
          '/v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests/f4b57a8c-da56-4ae0-8aef-65c3a043dab6/cancel',
        ).status,
        400,
      );
    });

    it('EM cancel: 200 with an empty body; beta legacy path and body; delivered refused', () => {
      const r = call(
        'POST',
        `/v1.0/identityGovernance/entitlementManagement/assignmentRequests/${seed.examples.accessRequestId}/cancel`,
      );
      assert.equal(r.status, 200);
      assert.equal(r.body, undefined);
      assert.equal(tenant.getAccessRequest(seed.examples.accessRequestId)?.state, 'canceled');
      const legacy = call(
        'POST',
        '/beta/identityGovernance/entitlementManagement/accessPackageAssignmentRequests/7999249e-249e-7999-9e24-99799e24997a/cancel',
        {
          id: '7999249e-249e-7999-9e24-99799e24997a',
          requestStatus: 'cancelled',
        },
      );
      assert.equal(legacy.status, 200);
      assert.equal(
        call(
          'POST',
          '/v1.0/identityGovernance/entitlementManagement/accessPackageAssignmentRequests/7999249e-249e-7999-9e24-99799e24997b/cancel',
        ).status,
        400,
        'legacy path is beta only',
      );
      assert.equal(
        call(
          'POST',
          '/v1.0/identityGovernance/entitlementManagement/assignmentRequests/7999249e-249e-7999-9e24-99799e24997c/cancel',
        ).status,
        400,
      );
    });

    it('LCW cancelProcessing: short and namespace-qualified forms, and every documented refusal', () => {
      const w = seed.examples.workflowId;
      const body = (runs: Array<{ id: string }>) => ({
        scope: { '@odata.type': '#microsoft.graph.identityGovernance.cancelRunsScope', runs },
      });
      assert.equal(
        call(
          'POST',
          `/v1.0/identityGovernance/lifecycleWorkflows/workflows/${w}/cancelProcessing`,
          body([{ id: seed.examples.runId }]),
        ).status,
        204,
      );
      // https://learn.microsoft.com/en-us/graph/api/identitygovernance-workflow-cancelprocessing?view=graph-rest-1.0
      // The run passes through canceling before canceled (graph-reference §1, §6.1); see
      // tenantUnconfirmed.test.ts for the transition.
      assert.equal(tenant.getRun(w, seed.examples.runId)?.processingStatus, 'canceling');
      assert.equal(
        call(
          'POST',
          `/beta/identityGovernance/lifecycleWorkflows/workflows/${w}/microsoft.graph.identityGovernance.cancelProcessing`,
          body([{ id: '8cdf25a8-c9d2-423e-a03d-3f39f03c3e98' }]),
        ).status,
        204,
      );
      const done = call(
        'POST',
        `/v1.0/identityGovernance/lifecycleWorkflows/workflows/${w}/cancelProcessing`,
        body([{ id: '8cdf25a8-c9d2-423e-a03d-3f39f03c3e99' }]),
      );
      assert.equal(done.status, 409);
      assert.equal(errorOf(done).code, 'Conflict');
      assert.match(errorOf(done).message, /Current status: 'completed'/);
      assert.equal(
        call(
          'POST',
          `/v1.0/identityGovernance/lifecycleWorkflows/workflows/00000000-0000-0000-0000-000000000000/cancelProcessing`,
          body([]),
        ).status,
        404,
      );
      assert.equal(
        call(
          'POST',
          `/v1.0/identityGovernance/lifecycleWorkflows/workflows/${w}/cancelProcessing`,
          body([{ id: '00000000-0000-0000-0000-000000000000' }]),
        ).status,
        406,
      );
      assert.equal(
        call(
          'POST',
          `/v1.0/identityGovernance/lifecycleWorkflows/workflows/${w}/cancelProcessing`,
          body([{ id: 'a' }, { id: 'b' }]),
        ).status,
        400,
      );
      const other = call(
        'POST',
        `/v1.0/identityGovernance/lifecycleWorkflows/workflows/${w}/cancelProcessing`,
        body([{ id: '2b3c4d5e-0000-4f00-8000-00000000b001' }]),
      );
      assert.equal(other.status, 400);
      assert.match(errorOf(other).message, /does not belong/);
    });

    it('resume: case-insensitive status, validated body, only from inProgress', () => {
      const e = seed.examples;
      const base = `/v1.0/identityGovernance/lifecycleWorkflows/workflows/${e.taskWorkflowId}/tasks/${e.taskId}/taskProcessingResults`;
      assert.equal(
        call('POST', `${base}/${e.taskProcessingResultId}/resume`, {
          data: { operationStatus: 'Completed' },
          source: 'sample',
          type: 'lifecycleEvent',
        }).status,
        204,
      );
      assert.equal(
        tenant.getTaskResult(e.taskWorkflowId, e.taskId, e.taskProcessingResultId)?.processingStatus,
        'completed',
      );
      assert.equal(
        call('POST', `${base}/6e1ec336-8d06-4386-a377-79dbab1a2eb7/microsoft.graph.identityGovernance.resume`, {
          data: { operationStatus: 'failed' },
          source: 's',
          type: 'lifecycleEvent',
        }).status,
        204,
      );
      const again = call('POST', `${base}/${e.taskProcessingResultId}/resume`, {
        data: { operationStatus: 'failed' },
        source: 's',
        type: 'lifecycleEvent',
      });
      assert.equal(again.status, 400);
      assert.match(errorOf(again).message, /Current status: 'completed'/);
      assert.equal(
        call('POST', `${base}/6e1ec336-8d06-4386-a377-79dbab1a2eb8/resume`, {
          data: { operationStatus: 'maybe' },
          source: 's',
          type: 't',
        }).status,
        400,
      );
      assert.equal(
        call('POST', `${base}/6e1ec336-8d06-4386-a377-79dbab1a2eb8/resume`, {
          data: { operationStatus: 'failed' },
          source: '',
          type: 't',
        }).status,
        400,
      );
    });

    // The action's data parameter is a customTaskExtensionCallbackData
    // (https://learn.microsoft.com/en-us/graph/api/identitygovernance-taskprocessingresult-resume?view=graph-rest-1.0);
    // customExtensionData is abstract and its other derived types (the access package callout and
    // callback data) are not that type
    // (https://learn.microsoft.com/en-us/graph/api/resources/customextensiondata?view=graph-rest-1.0).
    it('resume: data typed as another customExtensionData is refused and resumes nothing', () => {
      const e = seed.examples;
      const url = `/v1.0/identityGovernance/lifecycleWorkflows/workflows/${e.taskWorkflowId}/tasks/${e.taskId}/taskProcessingResults/${e.taskProcessingResultId}/resume`;
      const body = (type: string) => ({
        data: { '@odata.type': type, operationStatus: 'completed' },
        source: 's',
        type: 'lifecycleEvent',
      });
      for (const type of [
        '#microsoft.graph.accessPackageAssignmentRequestCallbackData',
        '#microsoft.graph.identityGovernance.customTaskExtensionCalloutData',
        '#microsoft.graph.customExtensionData',
      ]) {
        const r = call('POST', url, body(type));
        assert.equal(r.status, 400, type);
        assert.equal(errorOf(r).code, 'BadRequest', type);
      }
      assert.equal(
        tenant.getTaskResult(e.taskWorkflowId, e.taskId, e.taskProcessingResultId)?.processingStatus,
        'inProgress',
      );
      const typed = call('POST', url, body('#microsoft.graph.identityGovernance.customTaskExtensionCallbackData'));
      assert.equal(typed.status, 204, 'the documented type itself is accepted');
    });

    // The List runs page writes the collection with a trailing slash, in its syntax and its first
    // example (https://learn.microsoft.com/en-us/graph/api/identitygovernance-workflow-list-runs?view=graph-rest-1.0).
    it('lists a workflow’s runs at …/runs and at the documented …/runs/', () => {
      const runs = `/v1.0/identityGovernance/lifecycleWorkflows/workflows/${seed.examples.workflowId}/runs`;
      for (const url of [runs, `${runs}/`, `${runs}/?$select=id,processingStatus`]) {
        const r = call('GET', url);
        assert.equal(r.status, 200, url);
        const ids = (JSON.parse(r.body ?? '{}') as { value: Array<{ id: string }> }).value.map((v) => v.id);
        assert.ok(ids.includes(seed.examples.runId), url);
      }
    });

    it('reads items, unknown ids 404, unknown routes and wrong methods', () => {
      const r = call(
        'GET',
        `/v1.0/roleManagement/directory/roleAssignmentScheduleRequests/${seed.examples.roleRequestId}`,
      );
      assert.equal(r.status, 200);
      const body = JSON.parse(r.body ?? '{}') as Record<string, unknown>;
      assert.equal(body.status, 'PendingApproval');
      assert.match(String(body['@odata.context']), /\$metadata/);
      assert.equal(
        call(
          'GET',
          `/v1.0/identityGovernance/lifecycleWorkflows/workflows/${seed.examples.workflowId}/runs/${seed.examples.runId}`,
        ).status,
        200,
      );
      assert.equal(
        call(
          'GET',
          '/v1.0/identityGovernance/entitlementManagement/assignmentRequests/00000000-0000-0000-0000-000000000000',
        ).status,
        404,
      );
      assert.equal(
        call(
          'GET',
          `/v1.0/roleManagement/directory/roleAssignmentScheduleRequests/${seed.examples.roleRequestId}/cancel`,
        ).status,
        405,
      );
      assert.equal(call('GET', '/v1.0/nothing/here').status, 400);
      assert.equal(call('GET', '/v2.0/whatever').status, 404);
    });
  });
});
