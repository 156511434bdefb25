import { strict as assert } from 'node:assert';
import {
  DecidedElsewhereError,
  DomainError,
  GraphEvidence,
  InvalidStateError,
  NotPermittedError,
  UpstreamError,
} from '../../src/domain/errors';
import { AuditLine, GovernanceService, GraphPort, StateRead } from '../../src/domain/governance';
import { personAt } from '../../src/domain/itemFields';
import { CATALOG, Cloud, OPERATION_NAMES, Target, fillPath, targetIdOf } from '../../src/domain/operations';
import { GraphGateway } from '../../src/graph/graphGateway';
import { tenantFetch } from '../../src/sandbox/server';
import { DemoSeed, loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';

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
const resumeIds = { workflowId: W, taskId: W, taskProcessingResultId: R };
const approve: Target = { operation: 'resumeTask', ids: resumeIds, decision: 'completed' };
const reject: Target = { operation: 'resumeTask', ids: resumeIds, decision: 'failed' };
const hung = () => new UpstreamError('Microsoft Graph did not answer in time.', { status: null, requestId: null });
const readOf = (state: string, item: Record<string, unknown> = {}): StateRead => ({
  state,
  item: { processingStatus: state, ...item },
  graph: { status: 200, requestId: 'read-1' },
});

describe('operation catalog', () => {
  it('has one complete entry per operation with the seeds facts', () => {
    for (const name of OPERATION_NAMES) {
      const spec = CATALOG[name];
      assert.equal(spec.name, name);
      // A seed file for the five seeded operations; the reference's sections for the approvals.
      assert.match(spec.seed, /^(00\d-|graph-reference §)/);
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
      decision: 'failed',
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

  // Found by bench (d): the first write hung unapplied, the read said still pending, the one
  // re-send was applied but hung too. Without a second read the click failed and its card kept
  // the button over a request Graph had cancelled. A 5xx or no answer leaves the outcome unknown
  // (https://learn.microsoft.com/en-us/graph/errors); a cancel of a request no longer pending is
  // refused with 400 (https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-cancel).
  it('reads again when the one re-send goes unanswered too, and never writes a third time', async () => {
    const graph = new ScriptedGraph(
      [hung(), hung()],
      [
        { state: 'PendingApproval', graph: { status: 200, requestId: 'r1' } },
        { state: 'Canceled', graph: { status: 200, requestId: 'r2' } },
      ],
    );
    const { svc, lines } = service(graph);
    const outcome = await svc.perform(roleTarget, actor);
    assert.ok(outcome.ok && outcome.confirmedByRead, 'the second read proves the cancel');
    assert.equal(graph.writes, 2);
    assert.equal(lines.length, 1, 'one audit line for the action');
    assert.equal(lines[0]?.outcome, 'succeeded');
    assert.equal(lines[0]?.graphRequestId, 'r2', "the proving read's request id");

    // The first write lands late: the re-send is refused for the item's state; the read decides.
    const late = new ScriptedGraph(
      [hung(), new InvalidStateError('The request is not in a state that can be canceled.', null)],
      [
        { state: 'PendingApproval', graph: { status: 200, requestId: 'r1' } },
        { state: 'Canceled', graph: { status: 200, requestId: 'r2' } },
      ],
    );
    const landed = await service(late).svc.perform(roleTarget, actor);
    assert.ok(landed.ok && landed.confirmedByRead, 'the first write took effect after all');

    const still = new ScriptedGraph(
      [hung(), hung()],
      [
        { state: 'PendingApproval', graph: { status: 200, requestId: 'r1' } },
        { state: 'PendingApproval', graph: { status: 200, requestId: 'r2' } },
      ],
    );
    const failed = await service(still).svc.perform(roleTarget, actor);
    assert.equal(failed.ok, false, 'still pending after both: a failure, said as one');
    assert.equal(still.writes, 2, 'no third write');
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

  // Issue 7.2: after an uncertain write only the state that proves the REQUESTED decision is
  // success; a resume asked as completed is not proven by failed.
  describe('recovery after an uncertain write', () => {
    it('confirms a resume only by the state of its own decision', async () => {
      for (const [target, state] of [
        [approve, 'completed'],
        [reject, 'failed'],
        [approve, 'Completed'],
      ] as const) {
        const graph = new ScriptedGraph([hung()], [readOf(state)]);
        const { svc, lines } = service(graph);
        const outcome = await svc.perform(target, actor);
        assert.ok(outcome.ok && outcome.confirmedByRead, `${target.decision} proven by ${state}`);
        assert.equal(graph.writes, 1);
        assert.equal(lines[0]?.outcome, 'succeeded');
      }
    });

    it('reports and audits a resume someone else decided the other way, never as confirmed', async () => {
      for (const [target, state] of [
        [approve, 'failed'],
        [reject, 'completed'],
        [approve, 'completedWithErrors'],
      ] as const) {
        const graph = new ScriptedGraph([hung()], [readOf(state, { completedDateTime: '2026-07-01T10:42:00Z' })]);
        const { svc, lines } = service(graph);
        const outcome = await svc.perform(target, actor);
        assert.ok(!outcome.ok, `${target.decision} must not be proven by ${state}`);
        assert.ok(outcome.error instanceof DecidedElsewhereError);
        assert.equal(outcome.error.currentState, state);
        assert.equal(outcome.error.requested, target.decision);
        assert.equal(outcome.error.decidedAt, '2026-07-01T10:42:00Z');
        // graph-reference §6.2: a taskProcessingResult does not say who resumed it.
        assert.equal(outcome.error.decidedBy, null);
        assert.equal(graph.writes, 1, 'no second write over a finished item');
        const line = lines[0]!;
        assert.equal(line.outcome, 'failed');
        assert.equal(line.errorCode, 'DECIDED_ELSEWHERE');
        assert.equal(line.decision, target.decision);
        assert.equal(line.foundState, state);
        assert.equal(line.graphStatus, 200, "Graph's last answer was the read");
      }
    });

    it('confirms a cancel by canceled or canceling only', async () => {
      const run: Target = { operation: 'cancelWorkflowRun', ids: { workflowId: W, runId: R } };
      for (const state of ['canceled', 'canceling']) {
        const graph = new ScriptedGraph([hung()], [readOf(state)]);
        const outcome = await service(graph).svc.perform(run, actor);
        assert.ok(outcome.ok && outcome.confirmedByRead, state);
      }
      const graph = new ScriptedGraph([hung()], [readOf('completed')]);
      const { svc, lines } = service(graph);
      const outcome = await svc.perform(run, actor);
      assert.ok(!outcome.ok && outcome.error.code === 'UPSTREAM', 'a completed run is not proof of a cancel');
      assert.equal(lines[0]?.decision, null);
    });

    it('finds who decided in an identity, an identity set or a list of identities', () => {
      assert.equal(personAt({ reviewedBy: { displayName: 'Adele Vance', id: 'x' } }, 'reviewedBy'), 'Adele Vance');
      assert.equal(personAt({ createdBy: { user: { displayName: 'Alex Wilber' } } }, 'createdBy'), 'Alex Wilber');
      assert.equal(
        personAt({ reviewedBy: [{ id: 'x' }, { displayName: 'Megan Bowen' }] }, 'reviewedBy'),
        'Megan Bowen',
      );
      assert.equal(personAt({ a: { b: 'Lee Gu' } }, 'a.b'), 'Lee Gu');
      assert.equal(personAt({ reviewedBy: null }, 'reviewedBy'), null);
      assert.equal(personAt(undefined, 'reviewedBy'), null);
      assert.equal(personAt({ reviewedBy: 'x' }, undefined), null);
    });
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

  describe('against the simulated tenant', () => {
    const BASE = 'https://127.0.0.1:9443';

    /** A delegated Graph token of a seed user, by the on-behalf-of exchange the bot makes. */
    function tokenOf(tenant: SimulatedTenant, seed: DemoSeed, userIndex: number): string {
      const user = seed.users[userIndex]!;
      const form = new URLSearchParams({
        client_id: seed.app.clientId,
        client_secret: seed.app.clientSecret,
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        requested_token_use: 'on_behalf_of',
        assertion: tenant.issueSsoToken(user.id, seed.app.clientId),
        scope: `${BASE}/.default openid profile offline_access`,
      });
      const res = tenant.handle({
        method: 'POST',
        url: `/${seed.tenantId}/oauth2/v2.0/token`,
        headers: { host: '127.0.0.1:9443', 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      });
      return (JSON.parse(res.body ?? '{}') as { access_token: string }).access_token;
    }

    it('a resume asked as completed that went unanswered while a colleague rejected it is reported, not confirmed', async () => {
      const seed = loadDemoSeed();
      const tenant = new SimulatedTenant(seed);
      const inner = tenantFetch(tenant, BASE);
      const mine = tokenOf(tenant, seed, 0);
      const colleague = tokenOf(tenant, seed, 5);
      let raced = false;
      // The colleague's resume (as failed) lands first; ours then meets a 504 from Graph's front
      // door, so the bot cannot tell whether its own write took effect.
      const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
        const url = input instanceof Request ? input.url : String(input);
        if (!raced && init?.method === 'POST' && url.endsWith('/resume')) {
          raced = true;
          const theirs = await inner(url, {
            method: 'POST',
            headers: { authorization: `Bearer ${colleague}`, 'content-type': 'application/json' },
            body: JSON.stringify({ data: { operationStatus: 'failed' }, source: 'colleague', type: 'lifecycleEvent' }),
          });
          assert.equal(theirs.status, 204);
          tenant.injectFault({ method: 'POST', pathIncludes: '/resume', status: 504 });
        }
        return inner(input, init);
      };
      const gateway = new GraphGateway({ graphEndpoint: BASE, fetch, sleep: async () => undefined });
      const lines: AuditLine[] = [];
      const svc = new GovernanceService({
        cloud: 'global',
        graph: gateway,
        audit: (l) => lines.push(l),
        newId: () => 'c',
      });
      const e = seed.examples;
      const target: Target = {
        operation: 'resumeTask',
        ids: { workflowId: e.taskWorkflowId, taskId: e.taskId, taskProcessingResultId: e.taskProcessingResultId },
        decision: 'completed',
      };
      const outcome = await svc.perform(target, { aadObjectId: seed.users[0]!.id, getToken: async () => mine });
      assert.ok(!outcome.ok, 'never "Approved ... confirmed" over a rejection');
      assert.ok(outcome.error instanceof DecidedElsewhereError);
      assert.equal(outcome.error.currentState.toLowerCase(), 'failed');
      assert.ok(outcome.error.decidedAt, 'the read says when it finished');
      assert.equal(lines[0]?.errorCode, 'DECIDED_ELSEWHERE');
      assert.equal(lines[0]?.decision, 'completed');
      const resumes = tenant.graphRequests().filter((r) => r.method === 'POST');
      assert.equal(resumes.length, 2, "the colleague's resume and ours; no blind re-send");
    });
  });
});
