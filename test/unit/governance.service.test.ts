// GovernanceService on a scripted Graph, away from any failure of Graph's: one audit line per attempt
// with the fields of contract §6 and the decision it carried, domain errors passed through and
// audited, and the refusals made before Graph (a cloud that lacks the operation, a decision its
// entry does not offer) that never call it.

import { strict as assert } from 'node:assert';
import { NotPermittedError, UpstreamError } from '../../src/domain/errors';
import { Target } from '../../src/domain/operations';
import {
  R,
  ScriptedGraph,
  USER,
  W,
  actor,
  approve,
  reject,
  resumeIds,
  roleTarget,
  runTarget,
  service,
} from '../fixtures/scriptedGraph';

describe('GovernanceService', () => {
  it('writes one audit line per attempt with the contract fields', async () => {
    const graph = new ScriptedGraph([{ status: 204, requestId: 'req-1' }]);
    const { svc, lines } = service(graph);
    const outcome = await svc.perform(runTarget, actor);
    assert.equal(outcome.ok, true);
    assert.equal(lines.length, 1);
    const line = lines[0]!;
    assert.equal(line.event, 'governance.action');
    assert.equal(line.operation, 'cancelWorkflowRun');
    assert.equal(line.targetId, R);
    assert.deepEqual(line.targetIds, [W, R]);
    assert.equal(line.userId, USER);
    assert.equal(line.outcome, 'succeeded');
    assert.equal(line.errorCode, null);
    assert.equal(line.graphStatus, 204);
    assert.equal(line.graphRequestId, 'req-1');
    assert.equal(line.correlationId, 'corr-1');
  });

  it('refuses an operation the cloud does not offer without calling Graph', async () => {
    const graph = new ScriptedGraph([]);
    const { svc, lines } = service(graph, 'usgov');
    const outcome = await svc.perform(runTarget, actor);
    assert.equal(outcome.ok, false);
    assert.equal(!outcome.ok && outcome.error.code, 'NOT_AVAILABLE_IN_CLOUD');
    assert.equal(graph.writes + graph.reads, 0);
    assert.equal(lines[0]?.errorCode, 'NOT_AVAILABLE_IN_CLOUD');
    assert.equal(lines[0]?.graphStatus, null);
  });

  it('passes other domain errors through and audits them', async () => {
    const graph = new ScriptedGraph([new NotPermittedError('no', { status: 403, requestId: 'x', errorCode: 'E' })]);
    const { svc, lines } = service(graph);
    const outcome = await svc.perform(roleTarget, actor);
    assert.equal(!outcome.ok && outcome.error.code, 'NOT_PERMITTED');
    assert.equal(lines[0]?.graphErrorCode, 'E');
    assert.equal(lines[0]?.outcome, 'failed');
  });

  it('audits refusals made before Graph', () => {
    const { svc, lines } = service(new ScriptedGraph([]));
    svc.recordRefusal(roleTarget, USER, new UpstreamError('x'));
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.graphStatus, null);
    assert.equal(lines[0]?.userId, USER);
  });

  // Issue 7.3: the audit line tells approve from reject.
  it('records the decision in the audit line, null for a cancel', async () => {
    const ok = { status: 204, requestId: 'w' };
    const { svc, lines } = service(new ScriptedGraph([ok, ok, ok]));
    await svc.perform(approve, actor);
    await svc.perform(reject, actor);
    await svc.perform(roleTarget, actor);
    assert.deepEqual(
      lines.map((l) => [l.operation, l.decision]),
      [
        ['resumeTask', 'completed'],
        ['resumeTask', 'failed'],
        ['cancelRoleRequest', null],
      ],
    );
    for (const l of lines) {
      for (const field of [
        'event',
        'operation',
        'targetId',
        'userId',
        'outcome',
        'errorCode',
        'graphStatus',
        'graphRequestId',
        'correlationId',
      ]) {
        assert.ok(field in l, `contract §6 field ${field}`);
      }
    }
  });

  it('refuses a target whose decision its entry does not offer, without calling Graph', async () => {
    const graph = new ScriptedGraph([]);
    const { svc, lines } = service(graph);
    const noDecision: Target = { operation: 'resumeTask', ids: resumeIds };
    const extra: Target = { operation: 'cancelRoleRequest', ids: { requestId: R }, decision: 'completed' };
    for (const t of [noDecision, extra]) {
      const outcome = await svc.perform(t, actor);
      assert.equal(!outcome.ok && outcome.error.code, 'BAD_INPUT');
    }
    assert.equal(graph.writes + graph.reads, 0);
    assert.equal(lines.length, 2);
  });
});
