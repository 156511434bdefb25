// The real Graph client and gateway against the simulated tenant mounted in process.

import { strict as assert } from 'node:assert';
import {
  BadInputError,
  InvalidStateError,
  NotFoundError,
  NotPermittedError,
  ThrottledError,
  UpstreamError,
} from '../../src/domain/errors';
import { Target } from '../../src/domain/operations';
import { GraphGateway } from '../../src/graph/graphGateway';
import { tenantFetch } from '../../src/sandbox/server';
import { delegatedToken as tokenAt } from '../fixtures/tenantClient';
import { DemoSeed, loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';

const BASE = 'https://127.0.0.1:9443';
const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A delegated token for the gateway mounted at BASE. */
export const delegatedToken = (tenant: SimulatedTenant, seed: DemoSeed, userIndex = 0): string =>
  tokenAt(tenant, seed, userIndex, BASE);

describe('GraphGateway against the simulated tenant', () => {
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  let sleeps: number[];
  let gateway: GraphGateway;
  let token: string;
  const ex = () => seed.examples;

  beforeEach(() => {
    seed = loadDemoSeed();
    sleeps = [];
    let clock = 1_000_000;
    // The tenant keeps the gateway's clock: its answers' Date headers are the time a Retry-After
    // date is counted from (retryAfter.ts).
    tenant = new SimulatedTenant(seed, { now: () => clock });
    gateway = new GraphGateway({
      graphEndpoint: BASE,
      fetch: tenantFetch(tenant, BASE),
      now: () => clock,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock += ms;
      },
    });
    token = delegatedToken(tenant, seed);
    tenant.clearLog();
  });

  const src = () => Promise.resolve(token);

  it('sends exactly the five requests of contract §4 with the user token and fresh client-request-ids', async () => {
    const e = ex();
    const targets: Array<[Target, string, unknown, number]> = [
      [
        { operation: 'cancelWorkflowRun', ids: { workflowId: e.workflowId, runId: e.runId } },
        `/v1.0/identityGovernance/lifecycleWorkflows/workflows/${e.workflowId}/cancelProcessing`,
        { scope: { '@odata.type': '#microsoft.graph.identityGovernance.cancelRunsScope', runs: [{ id: e.runId }] } },
        204,
      ],
      [
        { operation: 'cancelRoleRequest', ids: { requestId: e.roleRequestId } },
        `/v1.0/roleManagement/directory/roleAssignmentScheduleRequests/${e.roleRequestId}/cancel`,
        undefined,
        204,
      ],
      [
        { operation: 'cancelGroupRequest', ids: { requestId: e.groupRequestId } },
        `/v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests/${e.groupRequestId}/cancel`,
        undefined,
        204,
      ],
      [
        { operation: 'cancelAccessPackageRequest', ids: { requestId: e.accessRequestId } },
        `/v1.0/identityGovernance/entitlementManagement/assignmentRequests/${e.accessRequestId}/cancel`,
        undefined,
        200,
      ],
      [
        {
          operation: 'resumeTask',
          ids: { workflowId: e.taskWorkflowId, taskId: e.taskId, taskProcessingResultId: e.taskProcessingResultId },
          decision: 'completed',
        },
        `/v1.0/identityGovernance/lifecycleWorkflows/workflows/${e.taskWorkflowId}/tasks/${e.taskId}/taskProcessingResults/${e.taskProcessingResultId}/resume`,
        { data: { operationStatus: 'completed' }, source: 'GovernanceBot', type: 'lifecycleEvent' },
        204,
      ],
    ];
    const ids = new Set<string>();
    for (const [target, path, body, status] of targets) {
      tenant.clearLog();
      const evidence = await gateway.write(target, src);
      assert.equal(evidence.status, status);
      assert.match(evidence.requestId ?? '', GUID_RE);
      const reqs = tenant.graphRequests();
      assert.equal(reqs.length, 1);
      const r = reqs[0]!;
      assert.equal(r.method, 'POST');
      assert.equal(r.path, path);
      assert.deepEqual(r.body === undefined ? undefined : JSON.parse(r.body), body);
      assert.equal(r.tokenClaims?.oid, seed.users[0]!.id);
      assert.match(r.headers['client-request-id'] ?? '', GUID_RE);
      ids.add(r.headers['client-request-id'] ?? '');
    }
    assert.equal(ids.size, 5, 'every write has its own client-request-id');
    assert.equal(tenant.getRoleRequest(e.roleRequestId)?.status, 'Canceled');
    assert.equal(tenant.getAccessRequest(e.accessRequestId)?.state, 'canceled');
    // A cancelled run passes through `canceling` before `canceled` (processingStatus values of the
    // workflow run: https://learn.microsoft.com/graph/api/resources/identitygovernance-run).
    assert.equal(tenant.getRun(e.workflowId, e.runId)?.processingStatus, 'canceling');
    assert.equal(
      tenant.getTaskResult(e.taskWorkflowId, e.taskId, e.taskProcessingResultId)?.processingStatus,
      'completed',
    );
  });

  it('reads the current state of an item', async () => {
    const read = await gateway.readState(
      { operation: 'cancelRoleRequest', ids: { requestId: ex().roleRequestId } },
      src,
    );
    assert.equal(read.state, 'PendingApproval');
    assert.equal(read.graph.status, 200);
  });

  it('maps 403 (PIM JSON-in-message), 404, 409 and 400 refusals', async () => {
    const limited = delegatedToken(tenant, seed, 1);
    const role: Target = { operation: 'cancelRoleRequest', ids: { requestId: ex().roleRequestId } };
    await assert.rejects(
      gateway.write(role, () => Promise.resolve(limited)),
      (e: unknown) => {
        assert.ok(e instanceof NotPermittedError);
        assert.match(e.message, /RoleAssignmentSchedule\.ReadWrite\.Directory/);
        assert.match(e.message, /Privileged Role Administrator/);
        assert.equal(e.graph.status, 403);
        assert.equal(e.graph.errorCode, 'PermissionScopeNotGranted');
        return true;
      },
    );
    const missing: Target = {
      operation: 'cancelGroupRequest',
      ids: { requestId: '00000000-0000-0000-0000-000000000001' },
    };
    await assert.rejects(gateway.write(missing, src), NotFoundError);
    const doneRun: Target = {
      operation: 'cancelWorkflowRun',
      ids: { workflowId: ex().workflowId, runId: '8cdf25a8-c9d2-423e-a03d-3f39f03c3e99' },
    };
    await assert.rejects(gateway.write(doneRun, src), (e: unknown) => {
      assert.ok(e instanceof InvalidStateError);
      assert.equal(e.currentState, 'completed');
      assert.equal(e.graph.status, 409);
      return true;
    });
    const provisioned: Target = {
      operation: 'cancelRoleRequest',
      ids: { requestId: '95c690fb-3eb3-4942-a03f-4524aed6f322' },
    };
    await assert.rejects(gateway.write(provisioned, src), (e: unknown) => {
      assert.ok(e instanceof InvalidStateError);
      assert.equal(e.currentState, null);
      assert.equal(e.graph.errorCode, 'RequestCannotBeCancelled');
      return true;
    });
  });

  it('retries 429 honouring Retry-After with one client-request-id, then succeeds', async () => {
    tenant.injectFault({ method: 'POST', pathIncludes: '/cancel', status: 429, times: 2, retryAfter: '2.5' });
    const evidence = await gateway.write(
      { operation: 'cancelRoleRequest', ids: { requestId: ex().roleRequestId } },
      src,
    );
    assert.equal(evidence.status, 204);
    assert.deepEqual(sleeps, [2500, 2500]);
    const reqs = tenant.graphRequests();
    assert.deepEqual(
      reqs.map((r) => r.status),
      [429, 429, 204],
    );
    assert.equal(new Set(reqs.map((r) => r.headers['client-request-id'])).size, 1);
  });

  it('honours Retry-After as an HTTP-date, a date already past, and an unreadable value', async () => {
    // https://learn.microsoft.com/graph/throttling: wait the Retry-After delay before retrying.
    const target: Target = { operation: 'cancelRoleRequest', ids: { requestId: ex().roleRequestId } };
    // The fake clock stands at 1,000,000 ms after the epoch: 00:16:40 GMT on 1 January 1970.
    tenant.injectFault({ pathIncludes: '/cancel', status: 429, times: 1, retryAfter: 'Thu, 01 Jan 1970 00:16:47 GMT' });
    assert.equal((await gateway.write(target, src)).status, 204);
    assert.deepEqual(sleeps, [7_000], 'an HTTP-date is waited out to the second');
    sleeps.length = 0;
    tenant.clearLog();
    tenant.injectFault({ pathIncludes: '/cancel', status: 429, times: 1, retryAfter: 'Thu, 01 Jan 1970 00:00:01 GMT' });
    await assert.rejects(gateway.write(target, src), InvalidStateError, 'already cancelled by the first write');
    assert.deepEqual(sleeps, [0], 'a date already past: no wait');
    sleeps.length = 0;
    tenant.injectFault({ pathIncludes: '/cancel', status: 429, times: 1, retryAfter: '-5' });
    await assert.rejects(gateway.write(target, src), InvalidStateError);
    assert.equal(sleeps.length, 1);
    assert.ok(sleeps[0]! >= 5_000, `an unreadable value (a negative delay) waits the default, not 0: ${sleeps[0]}`);
  });

  it('gives up after exactly 5 attempts when throttled forever', async () => {
    tenant.injectFault({ pathIncludes: '/cancel', status: 429, times: Infinity, retryAfter: '1' });
    await assert.rejects(
      gateway.write({ operation: 'cancelRoleRequest', ids: { requestId: ex().roleRequestId } }, src),
      (e: unknown) => e instanceof ThrottledError && e.retryAfterSeconds === 1,
    );
    assert.equal(tenant.graphRequests().length, 5);
    assert.equal(sleeps.length, 4);
  });

  it('stops early when waiting would cross the 30 s budget', async () => {
    tenant.injectFault({ pathIncludes: '/cancel', status: 429, times: Infinity, retryAfter: '20' });
    await assert.rejects(
      gateway.write({ operation: 'cancelRoleRequest', ids: { requestId: ex().roleRequestId } }, src),
      ThrottledError,
    );
    // t=0 and t=20 s; a third attempt would start at 40 s, past the 30 s budget.
    assert.equal(tenant.graphRequests().length, 2);
    assert.deepEqual(sleeps, [20_000]);
  });

  it('never re-sends a write after a 5xx', async () => {
    tenant.injectFault({ pathIncludes: '/cancel', status: 503 });
    await assert.rejects(
      gateway.write({ operation: 'cancelRoleRequest', ids: { requestId: ex().roleRequestId } }, src),
      (e: unknown) => e instanceof UpstreamError && e.graph.status === 503,
    );
    assert.equal(tenant.graphRequests().length, 1);
  });

  it('tells a timeout from a network failure, and retries neither', async () => {
    const target: Target = { operation: 'cancelRoleRequest', ids: { requestId: ex().roleRequestId } };
    let calls = 0;
    const hanging = new GraphGateway({
      graphEndpoint: BASE,
      timeoutMs: 50,
      // Never answers and ignores the abort signal: the deadline alone must end the attempt.
      fetch: () => {
        calls++;
        return new Promise<Response>(() => undefined);
      },
    });
    await assert.rejects(
      hanging.write(target, src),
      (e: unknown) => e instanceof UpstreamError && /did not answer in time/.test(e.message) && e.graph.status === null,
    );
    assert.equal(calls, 1);
    const refused = new GraphGateway({
      graphEndpoint: BASE,
      fetch: () => {
        calls++;
        return Promise.reject(new TypeError('fetch failed'));
      },
    });
    await assert.rejects(
      refused.write(target, src),
      (e: unknown) => e instanceof UpstreamError && /could not be reached/.test(e.message),
    );
    assert.equal(calls, 2);
  });

  it('refuses non-GUID ids before any request', async () => {
    await assert.rejects(
      gateway.write({ operation: 'cancelRoleRequest', ids: { requestId: '../../users' } }, src),
      BadInputError,
    );
    assert.equal(tenant.requests.length, 0);
  });
});
