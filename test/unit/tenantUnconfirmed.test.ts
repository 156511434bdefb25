// Evolvable enums, and the facts graph-reference §13 could not confirm: each documented
// alternative is a tenant option, chosen in the constructor or through /_sandbox/options.

import { strict as assert } from 'node:assert';
import { DemoSeed, loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant, TenantOptions } from '../../src/sandbox/tenant';
import {
  DEFAULT_UNCONFIRMED,
  UNCONFIRMED_ALTERNATIVES,
  parseUnconfirmed,
  unconfirmedFromEnv,
  unconfirmedVariants,
} from '../../src/sandbox/unconfirmed';
import { call, errorOf, graphTokenFor, jsonOf } from '../fixtures/tenantClient';

const ROLE_REQ = '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests';
const EM_REQ = '/v1.0/identityGovernance/entitlementManagement/assignmentRequests';
const GROUP_REQ = '/v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests';
const LCW = '/v1.0/identityGovernance/lifecycleWorkflows/workflows';
const INCLUDE = { prefer: 'include-unknown-enum-members' };

describe('simulated tenant: evolvable enums and unconfirmed facts', () => {
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  let clock: number;
  const make = (options: TenantOptions = {}) => {
    seed = loadDemoSeed();
    clock = Date.UTC(2026, 0, 5, 9);
    tenant = new SimulatedTenant(seed, { now: () => clock, ...options });
  };
  const as = (
    name: string,
    method: string,
    url: string,
    opts: { body?: unknown; headers?: Record<string, string> } = {},
  ) => call(tenant, method, url, { bearer: graphTokenFor(tenant, seed, name), ...opts });

  beforeEach(() => make());

  // https://learn.microsoft.com/en-us/graph/api/resources/enums-identitygovernance-lifecycleworkflowprocessingstatus?view=graph-rest-1.0
  // ("You must use the Prefer: include-unknown-enum-members request header to get the following
  // values in this evolvable enum: canceling, quarantined") and
  // https://learn.microsoft.com/en-us/graph/best-practices-concept#handling-future-members-in-evolvable-enumerations
  it('run reads hide canceling and quarantined as unknownFutureValue unless Prefer asks for them', () => {
    const w = seed.examples.workflowId;
    const status = (runId: string, headers: Record<string, string> = {}) =>
      jsonOf<{ processingStatus: string }>(as('Megan Bowen', 'GET', `${LCW}/${w}/runs/${runId}`, { headers }))
        .processingStatus;
    assert.equal(status('8cdf25a8-c9d2-423e-a03d-3f39f03c3e9e'), 'unknownFutureValue');
    assert.equal(status('8cdf25a8-c9d2-423e-a03d-3f39f03c3e9e', INCLUDE), 'canceling');
    assert.equal(status('8cdf25a8-c9d2-423e-a03d-3f39f03c3e9f'), 'unknownFutureValue');
    assert.equal(
      status('8cdf25a8-c9d2-423e-a03d-3f39f03c3e9f', { prefer: 'return=minimal, include-unknown-enum-members' }),
      'quarantined',
    );
    assert.equal(status(seed.examples.runId), 'inProgress', 'older members are never hidden');
    const list = jsonOf<{ value: Array<{ processingStatus: string }> }>(as('Megan Bowen', 'GET', `${LCW}/${w}/runs`));
    assert.ok(!list.value.some((r) => r.processingStatus === 'canceling' || r.processingStatus === 'quarantined'));
  });

  // https://learn.microsoft.com/en-us/graph/api/identitygovernance-workflow-cancelprocessing?view=graph-rest-1.0
  it('a cancelled run reads canceling (with Prefer) until the canceling time passes, then canceled', () => {
    const { workflowId: w, runId } = seed.examples;
    const body = {
      scope: { '@odata.type': '#microsoft.graph.identityGovernance.cancelRunsScope', runs: [{ id: runId }] },
    };
    assert.equal(as('Megan Bowen', 'POST', `${LCW}/${w}/cancelProcessing`, { body }).status, 204);
    const read = (headers: Record<string, string> = {}) =>
      jsonOf<{ processingStatus: string }>(as('Megan Bowen', 'GET', `${LCW}/${w}/runs/${runId}`, { headers }))
        .processingStatus;
    assert.equal(read(), 'unknownFutureValue');
    assert.equal(read(INCLUDE), 'canceling');
    const again = as('Megan Bowen', 'POST', `${LCW}/${w}/cancelProcessing`, { body });
    assert.equal(again.status, 409, 'a canceling run is no longer cancellable');
    clock += DEFAULT_UNCONFIRMED.runCancelingMs;
    assert.equal(read(), 'canceled');
    make({ unconfirmed: { runCancelingMs: 0 } });
    assert.equal(as('Megan Bowen', 'POST', `${LCW}/${w}/cancelProcessing`, { body }).status, 204);
    assert.equal(read(INCLUDE), 'canceled');
  });

  it('lists every alternative with the default first, and variants that each change one fact', () => {
    for (const [key, values] of Object.entries(UNCONFIRMED_ALTERNATIVES)) {
      assert.equal(values[0], (DEFAULT_UNCONFIRMED as unknown as Record<string, unknown>)[key], key);
      assert.ok(values.length >= 2, key);
    }
    const variants = unconfirmedVariants();
    assert.equal(
      variants.length,
      Object.values(UNCONFIRMED_ALTERNATIVES).reduce((n, v) => n + v.length - 1, 0),
    );
    assert.throws(() => parseUnconfirmed({ pimNotCancellable: 'Nope' }), /must be one of/);
    assert.throws(() => parseUnconfirmed({ colour: 'blue' }), /Unknown tenant option/);
  });

  // https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-cancel?view=graph-rest-1.0
  // ("Attempting to cancel a request that is not in a cancelable state ... returns a 400 Bad Request")
  it('PIM not-cancellable error: each documented shape, always a 400', () => {
    const provisioned = `${ROLE_REQ}/95c690fb-3eb3-4942-a03f-4524aed6f322/cancel`;
    const expected = {
      RequestCannotBeCancelled: 'RequestCannotBeCancelled',
      BadRequest: 'BadRequest',
      UnknownError: 'UnknownError',
    } as const;
    for (const choice of UNCONFIRMED_ALTERNATIVES.pimNotCancellable) {
      make({ unconfirmed: { pimNotCancellable: choice } });
      const r = as('Megan Bowen', 'POST', provisioned);
      assert.equal(r.status, 400, choice);
      assert.equal(errorOf(r).code, expected[choice]);
      if (choice === 'UnknownError') {
        assert.equal((JSON.parse(errorOf(r).message) as { errorCode: string }).errorCode, 'RequestCannotBeCancelled');
      }
    }
  });

  // https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-cancel?view=graph-rest-1.0
  // ("cancel ... that is in a Granted status"; the legacy v2 list adds the pending statuses)
  it('PIM cancellable states: the legacy list by default, only Granted as the v1.0 page reads', () => {
    const pending = `${ROLE_REQ}/${seed.examples.roleRequestId}/cancel`;
    make({ unconfirmed: { pimCancellableStates: 'grantedOnly' } });
    assert.equal(as('Megan Bowen', 'POST', pending).status, 400);
    assert.equal(as('Megan Bowen', 'POST', `${ROLE_REQ}/95c690fb-3eb3-4942-a03f-4524aed6f320/cancel`).status, 204);
  });

  // https://learn.microsoft.com/en-us/graph/api/resources/privilegedidentitymanagementv3-overview?view=graph-rest-1.0
  it('PIM self-cancel: allowed by default; requiresRole makes the requester need the admin role', () => {
    make({ unconfirmed: { pimSelfCancel: 'requiresRole' } });
    const [own] = seed.selfService.roleRequestIds;
    const r = as('Diego Siciliani', 'POST', `${ROLE_REQ}/${own}/cancel`);
    assert.equal(r.status, 403);
    assert.equal(
      as('Diego Siciliani', 'POST', `${GROUP_REQ}/${seed.selfService.groupRequestIds[0]}/cancel`).status,
      403,
    );
  });

  // https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-cancel?view=graph-rest-1.0
  // https://learn.microsoft.com/en-us/graph/api/identitygovernance-taskprocessingresult-resume?view=graph-rest-1.0
  // (neither documents its refusal; graph-reference §13)
  it('unknown request id: 404 or 400; EM and resume refusals: 400 or 409', () => {
    make({ unconfirmed: { unknownRequestStatus: 400, emNotCancellable: 'Conflict', resumeNotInProgress: 'Conflict' } });
    assert.equal(as('Megan Bowen', 'POST', `${ROLE_REQ}/00000000-0000-0000-0000-0000000000ff/cancel`).status, 400);
    assert.equal(as('Megan Bowen', 'POST', `${EM_REQ}/7999249e-249e-7999-9e24-99799e24997c/cancel`).status, 409);
    const e = seed.examples;
    const resume = `${LCW}/${e.taskWorkflowId}/tasks/${e.taskId}/taskProcessingResults/6e1ec336-8d06-4386-a377-79dbab1a2eb9/resume`;
    const body = { data: { operationStatus: 'completed' }, source: 's', type: 'lifecycleEvent' };
    assert.equal(as('Lynne Robbins', 'POST', resume, { body }).status, 409);
  });

  // https://learn.microsoft.com/en-us/graph/api/identitygovernance-taskprocessingresult-resume?view=graph-rest-1.0
  // (national clouds) and the cancelProcessing page (global service only)
  it('clouds: cancelProcessing only in the global service; resume in China as chosen', () => {
    const e = seed.examples;
    const resume = `${LCW}/${e.taskWorkflowId}/tasks/${e.taskId}/taskProcessingResults/${e.taskProcessingResultId}/resume`;
    const body = { data: { operationStatus: 'completed' }, source: 's', type: 'lifecycleEvent' };
    const cancel = {
      scope: { '@odata.type': '#microsoft.graph.identityGovernance.cancelRunsScope', runs: [{ id: e.runId }] },
    };
    make({ cloud: 'usgov' });
    assert.equal(as('Megan Bowen', 'POST', `${LCW}/${e.workflowId}/cancelProcessing`, { body: cancel }).status, 400);
    make({ cloud: 'china' });
    assert.equal(as('Lynne Robbins', 'POST', resume, { body }).status, 204);
    make({ cloud: 'china', unconfirmed: { resumeInChina: 'unavailable' } });
    assert.equal(as('Lynne Robbins', 'POST', resume, { body }).status, 400);
  });

  // https://learn.microsoft.com/en-us/graph/api/privilegedaccessgroupassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0
  it('PIM for Groups filterByCurrentUser needs ReadWrite when chosen (devx PR #1624)', () => {
    const readOnly = { ...loadDemoSeed() };
    const patti = readOnly.users.find((u) => u.displayName === 'Patti Fernandez')!;
    seed = {
      ...readOnly,
      users: readOnly.users.map((u) =>
        u === patti ? { ...u, scopes: ['PrivilegedAssignmentSchedule.Read.AzureADGroup'] } : u,
      ),
    };
    tenant = new SimulatedTenant(seed);
    assert.equal(as('Patti Fernandez', 'GET', `${GROUP_REQ}/filterByCurrentUser(on='principal')`).status, 200);
    tenant.setUnconfirmed({ pimGroupMineScope: 'ReadWrite' });
    assert.equal(as('Patti Fernandez', 'GET', `${GROUP_REQ}/filterByCurrentUser(on='principal')`).status, 403);
  });

  // The same function answers on='approver' (the API overview: "An approver queries membership or
  // ownership requests waiting for their approval"), so the chosen permission holds for it too:
  // https://learn.microsoft.com/en-us/graph/api/resources/privilegedidentitymanagement-for-groups-api-overview?view=graph-rest-1.0
  it("PIM for Groups filterByCurrentUser(on='approver') needs ReadWrite when chosen, as on='principal' does", () => {
    const readOnly = { ...loadDemoSeed() };
    const megan = readOnly.users.find((u) => u.displayName === 'Megan Bowen')!;
    seed = {
      ...readOnly,
      users: readOnly.users.map((u) =>
        u === megan ? { ...u, scopes: ['PrivilegedAssignmentSchedule.Read.AzureADGroup'] } : u,
      ),
    };
    tenant = new SimulatedTenant(seed);
    const approver = `${GROUP_REQ}/filterByCurrentUser(on='approver')`;
    const waiting = jsonOf(as('Megan Bowen', 'GET', approver)) as { value: unknown[] };
    assert.ok(waiting.value.length > 0, 'the seed has group requests waiting for Megan Bowen');
    tenant.setUnconfirmed({ pimGroupMineScope: 'ReadWrite' });
    assert.equal(as('Megan Bowen', 'GET', approver).status, 403);
    assert.equal(as('Megan Bowen', 'GET', `${GROUP_REQ}/filterByCurrentUser(on='principal')`).status, 403);
  });

  it('/_sandbox/options shows and changes the choices, refusing unknown ones', () => {
    const shown = call(tenant, 'GET', '/_sandbox/options');
    assert.deepEqual(jsonOf(shown), { ...DEFAULT_UNCONFIRMED });
    const changed = call(tenant, 'POST', '/_sandbox/options', { body: { pimNotCancellable: 'BadRequest' } });
    assert.equal(changed.status, 200);
    assert.equal(tenant.unconfirmed.pimNotCancellable, 'BadRequest');
    assert.equal(call(tenant, 'POST', '/_sandbox/options', { body: { pimNotCancellable: 'x' } }).status, 400);
    assert.equal(tenant.unconfirmed.pimNotCancellable, 'BadRequest');
  });
});

describe('SANDBOX_TENANT_OPTIONS', () => {
  it('is read as JSON and checked against the alternatives', () => {
    assert.deepEqual(unconfirmedFromEnv({}), {});
    assert.deepEqual(unconfirmedFromEnv({ SANDBOX_TENANT_OPTIONS: '{"resumeInChina":"unavailable"}' }), {
      resumeInChina: 'unavailable',
    });
    assert.throws(() => unconfirmedFromEnv({ SANDBOX_TENANT_OPTIONS: 'yes' }), /JSON object/);
    assert.throws(() => unconfirmedFromEnv({ SANDBOX_TENANT_OPTIONS: '{"resumeInChina":"maybe"}' }), /must be one of/);
  });
});
