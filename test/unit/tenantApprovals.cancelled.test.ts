// The simulated tenant's approvals of cancelled requests, as Graph answers them: a cancelled
// request is finished, so its approval leaves the approver filters, shows no stage waiting, refuses
// a decision, and neither a decision nor the clock moves the request out of its end state.
//
// `canceled` is an end state of every request kind:
// https://learn.microsoft.com/en-us/graph/api/resources/accesspackageassignmentrequest?view=graph-rest-1.0 (requestState),
// https://learn.microsoft.com/en-us/graph/api/resources/unifiedroleassignmentschedulerequest?view=graph-rest-1.0 (status),
// https://learn.microsoft.com/en-us/graph/api/resources/privilegedaccessgroupassignmentschedulerequest?view=graph-rest-1.0 (status).
// Cancel applies to a request that waits:
// https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-cancel?view=graph-rest-1.0,
// https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-cancel?view=graph-rest-1.0,
// https://learn.microsoft.com/en-us/graph/api/privilegedaccessgroupassignmentschedulerequest-cancel?view=graph-rest-1.0.
// The stage statuses (InProgress, Initializing, Completed, Expired) and the 409 Conflict of a stage
// no longer open to a decision:
// https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0,
// https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0.
// No page says what a cancelled request's stage reads; the tenant answers Completed, NotReviewed.

import { strict as assert } from 'node:assert';
import type { DemoSeed } from '../../src/sandbox/seed';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { EM_STAGE_WINDOW_MS, PIM_APPROVAL_WINDOW_MS } from '../../src/sandbox/graph/approvalModel';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { call, errorOf, graphTokenFor, jsonOf } from '../fixtures/tenantClient';

interface StageJson {
  id: string;
  status: string;
  reviewResult: string;
  reviewedBy: unknown;
}

interface Kind {
  readonly name: string;
  readonly approvals: string;
  readonly requests: string;
  /** v1.0 `stages`, beta `steps` (role approvals are beta only). */
  readonly field: 'stages' | 'steps';
  readonly requestId: (seed: DemoSeed) => string;
  /** The request's end state as the tenant holds it. */
  readonly ended: (tenant: SimulatedTenant, id: string) => unknown;
  readonly endedValue: unknown;
  readonly window: number;
}

const KINDS: readonly Kind[] = [
  {
    name: 'access package',
    approvals: '/v1.0/identityGovernance/entitlementManagement/accessPackageAssignmentApprovals',
    requests: '/v1.0/identityGovernance/entitlementManagement/assignmentRequests',
    field: 'stages',
    requestId: (seed) => seed.examples.accessApprovalId,
    ended: (tenant, id) => {
      const r = tenant.getAccessRequest(id);
      return [r?.state, r?.status];
    },
    endedValue: ['canceled', 'Canceled'],
    window: EM_STAGE_WINDOW_MS,
  },
  {
    name: 'PIM role',
    approvals: '/beta/roleManagement/directory/roleAssignmentApprovals',
    requests: '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests',
    field: 'steps',
    requestId: (seed) => seed.examples.roleApprovalId,
    ended: (tenant, id) => tenant.getRoleRequest(id)?.status,
    endedValue: 'Canceled',
    window: PIM_APPROVAL_WINDOW_MS,
  },
  {
    name: 'PIM for Groups',
    approvals: '/v1.0/identityGovernance/privilegedAccess/group/assignmentApprovals',
    requests: '/v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests',
    field: 'stages',
    requestId: (seed) => seed.examples.groupApprovalId,
    ended: (tenant, id) => tenant.getGroupRequest(id)?.status,
    endedValue: 'Canceled',
    window: PIM_APPROVAL_WINDOW_MS,
  },
];

describe('simulated tenant: the approval of a cancelled request', () => {
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  let now: number;
  const tokens = new Map<string, string>();
  const as = (name: string): string => {
    const t = tokens.get(name) ?? graphTokenFor(tenant, seed, name);
    tokens.set(name, t);
    return t;
  };
  const get = (name: string, url: string) => call(tenant, 'GET', url, { bearer: as(name) });
  const ids = (name: string, url: string): string[] => {
    const res = get(name, url);
    assert.equal(res.status, 200, res.body);
    return jsonOf<{ value: Array<{ id: string }> }>(res).value.map((v) => v.id);
  };

  beforeEach(() => {
    seed = loadDemoSeed();
    now = Date.parse('2026-03-02T09:00:00Z');
    tenant = new SimulatedTenant(seed, { now: () => now });
    tokens.clear();
  });

  for (const k of KINDS) {
    const stagesOf = (name: string, id: string): StageJson[] => {
      const res = get(name, `${k.approvals}/${id}`);
      assert.equal(res.status, 200, res.body);
      return jsonOf<Record<string, StageJson[]>>(res)[k.field] ?? [];
    };
    const cancel = (id: string): void => {
      const res = call(tenant, 'POST', `${k.requests}/${id}/cancel`, { bearer: as('Megan Bowen') });
      assert.ok(res.status === 200 || res.status === 204, `${res.status} ${res.body ?? ''}`);
      assert.deepEqual(k.ended(tenant, id), k.endedValue);
    };

    it(`${k.name}: the approver filters no longer list it, for any approver of any stage`, () => {
      const id = k.requestId(seed);
      // Before: it waits for Megan Bowen (first stage).
      assert.ok(ids('Megan Bowen', `${k.approvals}/filterByCurrentUser(on='approver')`).includes(id));
      cancel(id);
      for (const name of ['Megan Bowen', 'Lynne Robbins']) {
        assert.ok(!ids(name, `${k.approvals}/filterByCurrentUser(on='approver')`).includes(id), name);
        if (k.name === 'PIM role' && name === 'Lynne Robbins') {
          // The role requests' filterByCurrentUser asks a PIM read role, which Lynne (Lifecycle
          // Workflows Administrator) lacks: refused, whatever it would list
          // (https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0).
          assert.equal(get(name, `${k.requests}/filterByCurrentUser(on='approver')`).status, 403);
          continue;
        }
        assert.ok(!ids(name, `${k.requests}/filterByCurrentUser(on='approver')`).includes(id), name);
      }
    });

    it(`${k.name}: a read of the approval shows no stage waiting (Completed, NotReviewed, nobody)`, () => {
      const id = k.requestId(seed);
      assert.equal(stagesOf('Megan Bowen', id)[0]?.status, 'InProgress');
      cancel(id);
      const stages = stagesOf('Megan Bowen', id);
      assert.ok(stages.length > 0);
      for (const s of stages) {
        assert.equal(s.status, 'Completed');
        assert.equal(s.reviewResult, 'NotReviewed');
        // Nobody reviewed: "00000000-0000-0000-0000-000000000000 if the assigned reviewer hasn't reviewed"
        // (https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0).
        const by = (Array.isArray(s.reviewedBy) ? s.reviewedBy[0] : s.reviewedBy) as { id?: unknown } | undefined;
        assert.equal(by?.id, '00000000-0000-0000-0000-000000000000', JSON.stringify(s.reviewedBy));
      }
      // The stage read on its own says the same.
      const one = get('Megan Bowen', `${k.approvals}/${id}/${k.field}/${stages[0]!.id}`);
      assert.equal(jsonOf<StageJson>(one).status, 'Completed');
    });

    it(`${k.name}: deciding a stage is refused with 409 Conflict and the request stays canceled`, () => {
      const id = k.requestId(seed);
      const stage = stagesOf('Megan Bowen', id)[0]!;
      cancel(id);
      for (const reviewResult of ['Approve', 'Deny']) {
        const res = call(tenant, 'PATCH', `${k.approvals}/${id}/${k.field}/${stage.id}`, {
          bearer: as('Megan Bowen'),
          body: { reviewResult, justification: 'Looks right' },
        });
        assert.equal(res.status, 409, res.body);
        assert.equal(errorOf(res).code, 'Conflict');
      }
      assert.deepEqual(k.ended(tenant, id), k.endedValue);
      assert.equal(stagesOf('Megan Bowen', id)[0]!.reviewResult, 'NotReviewed');
    });

    it(`${k.name}: the approval window passing later leaves the request canceled and no stage Expired`, () => {
      const id = k.requestId(seed);
      cancel(id);
      now += k.window + 60_000;
      tokens.clear(); // the old access tokens have expired too
      // The tenant settles an approval when it is read: read it, then look at the request.
      const stages = stagesOf('Megan Bowen', id);
      assert.deepEqual(k.ended(tenant, id), k.endedValue);
      assert.ok(stages.length > 0, 'the approval still lists its stages');
      assert.ok(stages.every((s) => s.status === 'Completed'));
    });
  }
});
