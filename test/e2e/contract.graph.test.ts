// The outside contract (../shared/contract.md) over real HTTP, the Graph side: the exact request of
// each of the five operations, one audit line per command, and what the user is told for each Graph
// refusal (403, 404, 400/409, 429 waited out or for good), for a requester on his own requests and
// for an administrator. The server runs as in production with inbound JWT validation on; Graph is
// the simulated tenant over HTTPS.

import { strict as assert } from 'node:assert';
import { Who, World, cardText, userOf } from './harness';
import { contractSession, GUID_RE } from './contractSession';

describe('contract over HTTP (inbound JWT validation on)', function () {
  this.timeout(60_000);
  const session = contractSession();
  const { run, signIn, audits, settle } = session;
  let world: World;
  let admin: Who;
  let requester: Who;
  // The session's before hook, registered first, has started the world and the bot by now.
  before(() => {
    ({ world, admin, requester } = session);
  });

  it('shows the typing indicator while Graph is slow (a throttled write waits out Retry-After)', async () => {
    // One 429 with Retry-After: 1 keeps the command waiting a full second, well past the
    // half-second after which the indicator goes out (a fast answer needs none).
    await signIn(admin);
    world.tenant.injectFault({ method: 'POST', pathIncludes: '/cancel', status: 429, times: 1, retryAfter: '1' });
    const mark = world.calls.length;
    const reply = await run(admin, `cancel role-request ${world.seed.examples.roleRequestId}`);
    assert.match(cardText(reply), /Cancelled the role assignment request/);
    const between = world.calls.slice(mark, world.calls.indexOf(reply));
    assert.ok(
      between.some((c) => c.conversationId === reply.conversationId && c.activity.type === 'typing'),
      'the typing indicator shows before the answer',
    );
  });

  it('sends exactly the request of contract §4 for each of the five operations', async () => {
    const ex = world.seed.examples;
    const cases: Array<[string, string, unknown, RegExp]> = [
      [
        `cancel run ${ex.workflowId} ${ex.runId}`,
        `/v1.0/identityGovernance/lifecycleWorkflows/workflows/${ex.workflowId}/cancelProcessing`,
        { scope: { '@odata.type': '#microsoft.graph.identityGovernance.cancelRunsScope', runs: [{ id: ex.runId }] } },
        /Cancelled the workflow run/,
      ],
      [
        `cancel role-request ${ex.roleRequestId}`,
        `/v1.0/roleManagement/directory/roleAssignmentScheduleRequests/${ex.roleRequestId}/cancel`,
        undefined,
        /Cancelled the role assignment request/,
      ],
      [
        `cancel group-request ${ex.groupRequestId}`,
        `/v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests/${ex.groupRequestId}/cancel`,
        undefined,
        /Cancelled the group assignment request/,
      ],
      [
        `cancel access-request ${ex.accessRequestId}`,
        `/v1.0/identityGovernance/entitlementManagement/assignmentRequests/${ex.accessRequestId}/cancel`,
        undefined,
        /Cancelled the access package assignment request/,
      ],
      [
        `approve task ${ex.taskWorkflowId} ${ex.taskId} ${ex.taskProcessingResultId}`,
        `/v1.0/identityGovernance/lifecycleWorkflows/workflows/${ex.taskWorkflowId}/tasks/${ex.taskId}/taskProcessingResults/${ex.taskProcessingResultId}/resume`,
        { data: { operationStatus: 'completed' }, source: 'GovernanceBot', type: 'lifecycleEvent' },
        /Approved the custom task/,
      ],
      [
        `reject task ${ex.taskWorkflowId} ${ex.taskId} 6e1ec336-8d06-4386-a377-79dbab1a2eb7`,
        `/v1.0/identityGovernance/lifecycleWorkflows/workflows/${ex.taskWorkflowId}/tasks/${ex.taskId}/taskProcessingResults/6e1ec336-8d06-4386-a377-79dbab1a2eb7/resume`,
        { data: { operationStatus: 'failed' }, source: 'GovernanceBot', type: 'lifecycleEvent' },
        /Rejected the custom task/,
      ],
      [
        `resume task ${ex.taskWorkflowId} ${ex.taskId} 6e1ec336-8d06-4386-a377-79dbab1a2eb8 completed`,
        `/v1.0/identityGovernance/lifecycleWorkflows/workflows/${ex.taskWorkflowId}/tasks/${ex.taskId}/taskProcessingResults/6e1ec336-8d06-4386-a377-79dbab1a2eb8/resume`,
        { data: { operationStatus: 'completed' }, source: 'GovernanceBot', type: 'lifecycleEvent' },
        /Approved the custom task/,
      ],
    ];
    await run(admin, 'help');
    const crids = new Set<string>();
    for (const [text, path, body, words] of cases) {
      world.tenant.clearLog();
      const reply = await run(admin, text);
      assert.match(cardText(reply), words, text);
      const graph = world.tenant.graphRequests();
      assert.equal(graph.length, 1, text);
      assert.equal(graph[0]!.method, 'POST');
      assert.equal(graph[0]!.path, path);
      assert.deepEqual(graph[0]!.body === undefined ? undefined : JSON.parse(graph[0]!.body), body, text);
      assert.match(graph[0]!.headers['client-request-id'] ?? '', GUID_RE);
      crids.add(graph[0]!.headers['client-request-id'] ?? '');
      assert.ok([200, 204].includes(graph[0]!.status));
    }
    assert.equal(crids.size, cases.length, 'a fresh client-request-id per command');
  });

  it('writes one audit line per command with the contract fields', async () => {
    const ex = world.seed.examples;
    const before = audits().length;
    await run(admin, `cancel access-request ${ex.accessRequestId}`);
    // Not a pause: once the bot has stopped, having finished all it was doing, no line can follow.
    await settle();
    const lines = audits().slice(before);
    assert.equal(lines.length, 1, JSON.stringify(lines));
    const l = lines[0]!;
    assert.equal(l.operation, 'cancelAccessPackageRequest');
    assert.equal(l.targetId, ex.accessRequestId);
    assert.equal(l.userId, admin.aadObjectId);
    assert.equal(l.outcome, 'succeeded');
    assert.equal(l.errorCode, null);
    assert.equal(l.graphStatus, 200);
    assert.match(String(l.graphRequestId), GUID_RE);
    assert.match(String(l.correlationId), GUID_RE);
  });

  it('403: names the least-privileged permission and the Entra role', async () => {
    const reply = await run(requester, `cancel role-request ${world.seed.examples.roleRequestId}`);
    const text = cardText(reply);
    assert.match(text, /RoleAssignmentSchedule\.ReadWrite\.Directory/);
    assert.match(text, /Privileged Role Administrator/);
    assert.ok(typeof reply.activity.summary === 'string');
    const l = audits().at(-1)!;
    assert.equal(l.errorCode, 'NOT_PERMITTED');
    assert.equal(l.graphStatus, 403);
    assert.equal(l.userId, requester.aadObjectId);
  });

  // A requester without admin roles acts on his own requests; reads go through filterByCurrentUser:
  // https://learn.microsoft.com/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0,
  // https://learn.microsoft.com/graph/api/privilegedaccessgroupassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0,
  // https://learn.microsoft.com/graph/api/accesspackageassignmentrequest-filterbycurrentuser?view=graph-rest-1.0
  it('a requester without admin roles cancels his own PIM role, PIM group and access package requests', async () => {
    const diego = userOf(world.seed, 6);
    const own = world.seed.selfService;
    assert.equal(diego.aadObjectId, own.requesterId);
    for (const [command, id, done] of [
      ['cancel role-request', own.roleRequestIds[0]!, /Cancelled the role assignment request/],
      ['cancel group-request', own.groupRequestIds[0]!, /Cancelled the group assignment request/],
      ['cancel access-request', own.accessRequestIds[0]!, /Cancelled the access package assignment request/],
    ] as const) {
      const reply = await run(diego, `${command} ${id}`);
      assert.match(cardText(reply), done, command);
    }
    const writes = world.tenant.graphRequests().filter((r) => r.method === 'POST');
    assert.deepEqual(
      writes.map((r) => `${r.status} ${String(r.tokenClaims?.oid)}`),
      [204, 204, 200].map((status) => `${status} ${diego.aadObjectId}`),
      'three writes, each as the requester himself',
    );
    assert.equal(world.tenant.getRoleRequest(own.roleRequestIds[0]!)?.status, 'Canceled');
    assert.equal(world.tenant.getAccessRequest(own.accessRequestIds[0]!)?.state, 'canceled');
  });

  it("an administrator cancels the requester's requests", async () => {
    const own = world.seed.selfService;
    assert.equal(admin.aadObjectId, own.adminId);
    for (const [command, id] of [
      ['cancel role-request', own.roleRequestIds[1]!],
      ['cancel group-request', own.groupRequestIds[1]!],
      ['cancel access-request', own.accessRequestIds[1]!],
    ] as const) {
      assert.match(cardText(await run(admin, `${command} ${id}`)), /Cancelled the/, command);
    }
  });

  it("403 on someone else's request: names the permission and the role, and what self-service needs", async () => {
    const diego = userOf(world.seed, 6);
    const adeles = world.seed.examples.roleRequestId;
    world.tenant.clearLog();
    const text = cardText(await run(diego, `cancel role-request ${adeles}`));
    assert.match(text, /someone else's request/);
    assert.match(text, /Missing: the role Privileged Role Administrator/);
    assert.match(
      text,
      /To cancel your own request you need the delegated permission RoleAssignmentSchedule\.ReadWrite\.Directory/,
    );
    assert.match(text, /to cancel someone else's request you need .*and the role Privileged Role Administrator/);
    const graph = world.tenant.graphRequests().filter((r) => r.tokenClaims?.oid === diego.aadObjectId);
    assert.deepEqual(
      graph.map((r) => `${r.status} ${r.method} ${r.path.split('/').pop()}`),
      // His own role requests would tell whose it is, but role filterByCurrentUser asks a PIM read
      // role he lacks, so that read is refused too
      // (https://learn.microsoft.com/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0).
      ['403 POST cancel', "403 GET filterByCurrentUser(on='principal')"],
      'the refused write, then his own requests, refused for want of a PIM read role',
    );
    assert.equal(world.tenant.getRoleRequest(adeles)?.status, 'PendingApproval');
  });

  it('404: says the item no longer exists', async () => {
    const reply = await run(admin, 'cancel access-request 00000000-0000-0000-0000-0000000000ff');
    assert.match(cardText(reply), /no longer exists/);
    assert.equal(audits().at(-1)!.errorCode, 'NOT_FOUND');
  });

  it('400/409: names the current state, from Graph or from a read', async () => {
    const conflict = await run(
      admin,
      `cancel run ${world.seed.examples.workflowId} 8cdf25a8-c9d2-423e-a03d-3f39f03c3e99`,
    );
    assert.match(cardText(conflict), /is completed/);
    assert.equal(audits().at(-1)!.graphStatus, 409);
    world.tenant.clearLog();
    const bad = await run(admin, 'cancel role-request 95c690fb-3eb3-4942-a03f-4524aed6f322');
    assert.match(cardText(bad), /is Provisioned/);
    const graph = world.tenant.graphRequests();
    assert.deepEqual(
      graph.map((r) => r.method),
      ['POST', 'GET'],
      'the refused write, then a read for the state',
    );
    assert.equal(audits().at(-1)!.errorCode, 'INVALID_STATE');
  });

  it('429: waits Retry-After and succeeds within the bounded attempts', async () => {
    await run(admin, 'help');
    world.tenant.injectFault({ method: 'POST', pathIncludes: '/cancel', status: 429, times: 2, retryAfter: '0.2' });
    const reply = await run(admin, `cancel role-request ${world.seed.examples.roleRequestId}`);
    assert.match(cardText(reply), /Cancelled the role assignment request/);
    const writes = world.tenant.graphRequests().filter((r) => r.method === 'POST');
    assert.deepEqual(
      writes.map((r) => r.status),
      [429, 429, 204],
    );
    assert.equal(
      new Set(writes.map((r) => r.headers['client-request-id'])).size,
      1,
      'retries share the client-request-id',
    );
  });

  it('429 forever: stops after 5 attempts and says to try again later', async () => {
    await run(admin, 'help');
    world.tenant.injectFault({
      method: 'POST',
      pathIncludes: '/cancel',
      status: 429,
      times: Infinity,
      retryAfter: '0.1',
    });
    const reply = await run(admin, `cancel group-request ${world.seed.examples.groupRequestId}`);
    assert.match(cardText(reply), /Try again in/);
    assert.equal(world.tenant.graphRequests().filter((r) => r.method === 'POST').length, 5);
    const l = audits().at(-1)!;
    assert.equal(l.errorCode, 'THROTTLED');
    assert.equal(l.graphStatus, 429);
  });

  session.itPrintsNoSecrets();
});
