// Contract sentences (../shared/contract.md) that no other end-to-end file pins, written from the
// contract alone and run against one bot in production shape: §3 "Keywords are case-insensitive,
// extra white space is ignored" for the operations themselves (not only help), §6 "targetId is the
// command's last id (run, request or task processing result); all ids may go in targetIds", §5.1 an
// OAuth card's tokenExchangeResource "whose id is fresh", §4 "It does not re-send a write after a
// 5xx ... without first learning (by a read) that the write did not take effect", and §6 "an
// Adaptive Card (version 1.5)" and "Every reply activity, help and errors included, has a one-line
// `summary`" over every message the file's bot posted.

import { strict as assert } from 'node:assert';
import { Who, World, cardText, isCard } from './harness';
import { contractSession } from './contractSession';

describe('contract, as people type it and as the wire shows it', function () {
  this.timeout(60_000);
  const session = contractSession();
  const { say, run, signIn, signOut, audits, settle } = session;
  let world: World;
  let admin: Who;
  // The session's before hook, registered first, has started the world and the bot by now.
  before(() => {
    ({ world, admin } = session);
  });

  it('runs operations typed in upper case with extra white space, and audits the last id as targetId', async () => {
    const ex = world.seed.examples;
    await signIn(admin);
    const before = audits().length;
    world.tenant.clearLog();
    const cancel = await run(admin, `  CANCEL \t Run   ${ex.workflowId}\n${ex.runId}  `);
    assert.match(cardText(cancel), /Cancelled the workflow run/);
    const trp = ex.taskProcessingResultId;
    const reject = await run(admin, `Reject  TASK ${ex.taskWorkflowId}\t${ex.taskId}   ${trp}\r\n`);
    assert.match(cardText(reject), /Rejected the custom task/);
    assert.deepEqual(
      world.tenant.graphRequests().map((r) => `${r.method} ${r.path} ${r.body ?? ''}`),
      [
        `POST /v1.0/identityGovernance/lifecycleWorkflows/workflows/${ex.workflowId}/cancelProcessing ${JSON.stringify({
          scope: { '@odata.type': '#microsoft.graph.identityGovernance.cancelRunsScope', runs: [{ id: ex.runId }] },
        })}`,
        `POST /v1.0/identityGovernance/lifecycleWorkflows/workflows/${ex.taskWorkflowId}/tasks/${ex.taskId}/taskProcessingResults/${trp}/resume ${JSON.stringify(
          { data: { operationStatus: 'failed' }, source: 'GovernanceBot', type: 'lifecycleEvent' },
        )}`,
      ],
    );
    // Not a pause: once the bot has stopped, having finished all it was doing, no line can follow.
    await settle();
    const lines = audits().slice(before);
    assert.deepEqual(
      lines.map((l) => [l.operation, l.targetId, l.outcome, l.errorCode, l.graphStatus]),
      [
        ['cancelWorkflowRun', ex.runId, 'succeeded', null, 204],
        ['resumeTask', trp, 'succeeded', null, 204],
      ],
    );
    assert.deepEqual(lines[0]!.targetIds, [ex.workflowId, ex.runId]);
    assert.deepEqual(lines[1]!.targetIds, [ex.taskWorkflowId, ex.taskId, trp]);
    assert.notEqual(lines[0]!.correlationId, lines[1]!.correlationId, 'a fresh correlationId per command');
  });

  it('gives each OAuth card a fresh tokenExchangeResource id', async () => {
    await signOut(admin);
    const ids: string[] = [];
    const ex = world.seed.examples;
    for (const text of [`cancel role-request ${ex.roleRequestId}`, `cancel group-request ${ex.groupRequestId}`]) {
      const { reply } = await say(admin, text);
      assert.ok(isCard(reply, 'application/vnd.microsoft.card.oauth'), 'an OAuth card');
      const content = (reply.activity.attachments as Array<{ content: { tokenExchangeResource: { id: string } } }>)[0]!
        .content;
      ids.push(content.tokenExchangeResource.id);
    }
    assert.equal(new Set(ids).size, 2, `two cards, two ids: ${ids.join(', ')}`);
    assert.equal(world.tenant.graphRequests().length, 0, 'nothing reaches Graph before sign-in');
    // The two waiting commands end with the sign out (each with its own line), not in a later test.
    await signOut(admin);
  });

  it('re-sends a write Graph answered 503 only after a read showed it had not taken effect', async () => {
    const ex = world.seed.examples;
    await signIn(admin);
    world.tenant.clearLog();
    world.tenant.injectFault({ method: 'POST', pathIncludes: '/cancel', status: 503, times: 1 });
    const before = audits().length;
    const reply = await run(admin, `cancel role-request ${ex.roleRequestId}`);
    assert.match(cardText(reply), /Cancelled the role assignment request/);
    const item = `/v1.0/roleManagement/directory/roleAssignmentScheduleRequests/${ex.roleRequestId}`;
    assert.deepEqual(
      world.tenant.graphRequests().map((r) => `${r.status} ${r.method} ${r.path}`),
      [`503 POST ${item}/cancel`, `200 GET ${item}`, `204 POST ${item}/cancel`],
    );
    assert.equal(world.tenant.getRoleRequest(ex.roleRequestId)?.status, 'Canceled');
    await settle();
    const lines = audits().slice(before);
    assert.equal(lines.length, 1, JSON.stringify(lines));
    assert.equal(lines[0]!.outcome, 'succeeded');
    assert.equal(lines[0]!.graphStatus, 204, "Graph's last answer");
  });

  it('answered every message with a version 1.5 Adaptive Card (or the OAuth card) and a one-line summary', () => {
    const messages = world.calls.filter((c) => c.activity.type === 'message');
    assert.ok(messages.length >= 8, `the tests above had the bot post: ${messages.length}`);
    for (const m of messages) {
      const summary = m.activity.summary;
      assert.ok(typeof summary === 'string' && summary.trim() !== '' && !/[\r\n]/.test(summary), String(summary));
      const atts = (m.activity.attachments as Array<{ contentType: string; content: { version?: string } }>) ?? [];
      assert.ok(atts.length > 0, `a card: ${summary}`);
      for (const a of atts) {
        if (a.contentType === 'application/vnd.microsoft.card.oauth') continue;
        assert.equal(a.contentType, 'application/vnd.microsoft.card.adaptive', summary);
        assert.equal(a.content.version, '1.5', summary);
      }
    }
  });

  session.itPrintsNoSecrets();
});
