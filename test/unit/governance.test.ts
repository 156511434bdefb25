import { strict as assert } from 'node:assert';
import {
  DomainError,
  GraphEvidence,
  InvalidStateError,
  NotPermittedError,
  UpstreamError,
} from '../../src/domain/errors';
import { AuditLine, GovernanceService, GraphPort, StateRead } from '../../src/domain/governance';
import { CATALOG, Cloud, OPERATION_NAMES, Target, fillPath, targetIdOf } from '../../src/domain/operations';

const W = '4f36da05-5df8-457d-adb3-b132e7b59571';
const R = '6e1ec336-8d06-4386-a377-79dbab1a2eb6';
const USER = '0b6a6b2a-9b3e-4a2e-8f3e-2f1c8a9d7e61';

/** A scripted GraphPort: each call takes the next answer. */
class ScriptedGraph implements GraphPort {
  writes = 0;
  reads = 0;
  constructor(
    private readonly writeAnswers: Array<GraphEvidence | DomainError>,
    private readonly readAnswers: Array<StateRead | DomainError> = [],
  ) {}
  async write(): Promise<GraphEvidence> {
    this.writes++;
    const a = this.writeAnswers.shift();
    if (!a) throw new Error('unexpected write');
    if (a instanceof DomainError) throw a;
    return a;
  }
  async readState(): Promise<StateRead> {
    this.reads++;
    const a = this.readAnswers.shift();
    if (!a) throw new Error('unexpected read');
    if (a instanceof DomainError) throw a;
    return a;
  }
}

function service(graph: GraphPort, cloud: Cloud = 'global') {
  const lines: AuditLine[] = [];
  let n = 0;
  const svc = new GovernanceService({ cloud, graph, audit: (l) => lines.push(l), newId: () => `corr-${++n}` });
  return { svc, lines };
}

const actor = { aadObjectId: USER, getToken: async () => 'token' };
const runTarget: Target = { operation: 'cancelWorkflowRun', ids: { workflowId: W, runId: R } };
const roleTarget: Target = { operation: 'cancelRoleRequest', ids: { requestId: R } };

describe('operation catalog', () => {
  it('has one complete entry per operation with the seeds facts', () => {
    for (const name of OPERATION_NAMES) {
      const spec = CATALOG[name];
      assert.equal(spec.name, name);
      assert.match(spec.seed, /^00\d-/);
      assert.ok(spec.permission.least.length > 0);
      assert.ok(spec.role.length > 0);
      assert.ok(spec.clouds.includes('global'));
      assert.ok(spec.allowedStates.length > 0 && spec.doneStates.length > 0);
    }
    assert.deepEqual(CATALOG.cancelWorkflowRun.clouds, ['global']);
    assert.equal(CATALOG.cancelAccessPackageRequest.successStatus, 200);
    assert.equal(CATALOG.resumeTask.successStatus, 204);
  });

  it('builds the exact bodies of contract §4', () => {
    assert.deepEqual(CATALOG.cancelWorkflowRun.body(runTarget), {
      scope: { '@odata.type': '#microsoft.graph.identityGovernance.cancelRunsScope', runs: [{ id: R }] },
    });
    assert.equal(CATALOG.cancelRoleRequest.body(roleTarget), undefined);
    const resume = CATALOG.resumeTask.body({
      operation: 'resumeTask',
      ids: { workflowId: W, taskId: W, taskProcessingResultId: R },
      operationStatus: 'failed',
    }) as { data: { operationStatus: string }; source: string; type: string };
    assert.equal(resume.data.operationStatus, 'failed');
    assert.equal(resume.type, 'lifecycleEvent');
    assert.ok(resume.source.length > 0);
  });

  it('fills paths only with GUIDs', () => {
    assert.equal(
      fillPath(CATALOG.cancelWorkflowRun.path, { workflowId: W.toUpperCase() }),
      `/identityGovernance/lifecycleWorkflows/workflows/${W}/cancelProcessing`,
    );
    assert.throws(() => fillPath(CATALOG.cancelRoleRequest.path, { requestId: '../x' }), /not a GUID/);
    assert.throws(() => fillPath(CATALOG.cancelRoleRequest.path, {}), /not a GUID/);
    assert.equal(targetIdOf(runTarget), R);
  });
});

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

  it('learns the current state by a read when Graph refuses without naming it', async () => {
    const graph = new ScriptedGraph(
      [new InvalidStateError('no', null, { status: 400, requestId: 'w' })],
      [{ state: 'Provisioned', graph: { status: 200, requestId: 'r' } }],
    );
    const { svc, lines } = service(graph);
    const outcome = await svc.perform(roleTarget, actor);
    assert.ok(!outcome.ok && outcome.error instanceof InvalidStateError);
    assert.equal(!outcome.ok && (outcome.error as InvalidStateError).currentState, 'Provisioned');
    assert.equal(lines[0]?.graphStatus, 400, 'the audit keeps the write answer');
  });

  it('never re-sends after a 5xx when a read shows the write took effect', async () => {
    const graph = new ScriptedGraph(
      [new UpstreamError('boom', { status: 503, requestId: 'w' })],
      [{ state: 'Canceled', graph: { status: 200, requestId: 'r' } }],
    );
    const { svc } = service(graph);
    const outcome = await svc.perform(roleTarget, actor);
    assert.ok(outcome.ok && outcome.confirmedByRead);
    assert.equal(graph.writes, 1);
  });

  it('re-sends once after a 5xx only when a read shows the item is still actionable', async () => {
    const graph = new ScriptedGraph(
      [new UpstreamError('boom', { status: 504, requestId: 'w' }), { status: 204, requestId: 'w2' }],
      [{ state: 'PendingApproval', graph: { status: 200, requestId: 'r' } }],
    );
    const { svc } = service(graph);
    const outcome = await svc.perform(roleTarget, actor);
    assert.ok(outcome.ok && !outcome.confirmedByRead);
    assert.equal(graph.writes, 2);
  });

  it('gives up after a 5xx when the read fails too, without a second write', async () => {
    const graph = new ScriptedGraph(
      [new UpstreamError('boom', { status: 502, requestId: 'w' })],
      [new UpstreamError('read boom', { status: 502, requestId: 'r' })],
    );
    const { svc, lines } = service(graph);
    const outcome = await svc.perform(roleTarget, actor);
    assert.equal(outcome.ok, false);
    assert.equal(graph.writes, 1);
    assert.equal(lines[0]?.errorCode, 'UPSTREAM');
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
});
