// Self-approval in PIM for Entra roles: "Approvers aren't able to approve their own role activation
// requests." The simulated tenant refuses the decision even when the requester is named an
// approver of the stage, and the stage stays open for the other approvers.
// https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow

import { strict as assert } from 'node:assert';
import type { DemoSeed } from '../../src/sandbox/seed';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { call, errorOf, graphTokenFor, jsonOf } from '../fixtures/tenantClient';

const ROLE_APPROVALS = '/beta/roleManagement/directory/roleAssignmentApprovals';
const ID = '5e1f0a11-0000-4aaa-8bbb-00000000c0de';

describe('simulated tenant: a PIM role request its own requester is an approver of', () => {
  let seed: DemoSeed;
  let tenant: SimulatedTenant;

  beforeEach(() => {
    seed = loadDemoSeed();
    tenant = new SimulatedTenant(seed, { now: () => Date.parse('2026-03-02T09:00:00Z') });
    tenant.addRoleRequest({
      id: ID,
      status: 'PendingApproval',
      roleName: 'Exchange Administrator',
      principal: 'Megan Bowen',
      justification: 'Mailbox migration',
      duration: 'PT4H',
      approvers: ['Megan Bowen', 'Lynne Robbins'],
    });
  });

  const stepOf = (name: string) =>
    jsonOf<{ steps: Array<{ id: string; status: string }> }>(
      call(tenant, 'GET', `${ROLE_APPROVALS}/${ID}`, { bearer: graphTokenFor(tenant, seed, name) }),
    ).steps[0]!;
  const decideAs = (name: string, reviewResult: string) =>
    call(tenant, 'PATCH', `${ROLE_APPROVALS}/${ID}/steps/${stepOf(name).id}`, {
      bearer: graphTokenFor(tenant, seed, name),
      body: { reviewResult, justification: 'Because' },
    });

  it('refuses the requester’s own approval (403) and leaves the step open and the request pending', () => {
    const refused = decideAs('Megan Bowen', 'Approve');
    assert.equal(refused.status, 403);
    assert.match(errorOf(refused).message, /self-approval/i);
    assert.equal(stepOf('Lynne Robbins').status, 'InProgress');
    assert.equal(tenant.getRoleRequest(ID)?.status, 'PendingApproval');
  });

  it('refuses the requester’s own denial too, and lets another approver of the step decide', () => {
    assert.equal(decideAs('Megan Bowen', 'Deny').status, 403);
    assert.equal(decideAs('Lynne Robbins', 'Approve').status, 204);
    assert.equal(tenant.getRoleRequest(ID)?.status, 'Provisioned');
  });
});

// Entitlement management says the same of access packages: "Approvers aren't able to approve their
// own access package requests."
// https://learn.microsoft.com/en-us/entra/id-governance/entitlement-management-access-package-approval-policy
describe('simulated tenant: an access package request its own requestor is an approver of', () => {
  const APPROVALS = '/v1.0/identityGovernance/entitlementManagement/accessPackageAssignmentApprovals';
  const REQUEST = '5e1f0a11-0000-4aaa-8bbb-00000000c0df';
  let seed: DemoSeed;
  let tenant: SimulatedTenant;

  beforeEach(() => {
    seed = loadDemoSeed();
    tenant = new SimulatedTenant(seed, { now: () => Date.parse('2026-03-02T09:00:00Z') });
    tenant.addAccessRequest({
      id: REQUEST,
      state: 'pendingApproval',
      status: 'PendingApproval',
      accessPackageName: 'Own package',
      requestor: 'Megan Bowen',
      requestType: 'userAdd',
      approvers: ['Megan Bowen', 'Lynne Robbins'],
    });
  });

  const stageOf = (name: string) =>
    jsonOf<{ stages: Array<{ id: string; status: string }> }>(
      call(tenant, 'GET', `${APPROVALS}/${REQUEST}`, { bearer: graphTokenFor(tenant, seed, name) }),
    ).stages[0]!;
  const decideAs = (name: string, reviewResult: string) =>
    call(tenant, 'PATCH', `${APPROVALS}/${REQUEST}/stages/${stageOf(name).id}`, {
      bearer: graphTokenFor(tenant, seed, name),
      body: { reviewResult, justification: 'Because' },
    });

  it('refuses the requestor’s own approval (403), leaves the stage open, and lets another approver decide', () => {
    assert.equal(decideAs('Megan Bowen', 'Approve').status, 403);
    assert.equal(stageOf('Lynne Robbins').status, 'InProgress');
    assert.equal(tenant.getAccessRequest(REQUEST)?.state, 'pendingApproval');
    assert.equal(decideAs('Lynne Robbins', 'Approve').status, 204);
    assert.equal(tenant.getAccessRequest(REQUEST)?.state, 'delivered');
  });
});
