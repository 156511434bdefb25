// The governance service (real gateway, strict simulated tenant) against every documented
// alternative of the facts Microsoft has not confirmed (src/sandbox/unconfirmed.ts,
// graph-reference.md §13): a requester cancelling their own requests and someone else's, an
// administrator cancelling a requester's, and the refusals the alternatives change. The README's
// "Facts Microsoft has not confirmed" lists what the bot does under each.
//
// Pages: https://learn.microsoft.com/graph/api/unifiedroleassignmentschedulerequest-cancel?view=graph-rest-1.0,
// https://learn.microsoft.com/graph/api/privilegedaccessgroupassignmentschedulerequest-cancel?view=graph-rest-1.0,
// https://learn.microsoft.com/graph/api/accesspackageassignmentrequest-cancel?view=graph-rest-1.0,
// https://learn.microsoft.com/graph/api/identitygovernance-taskprocessingresult-resume?view=graph-rest-1.0,
// the filterByCurrentUser pages the self-service reads use
// (https://learn.microsoft.com/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0,
// https://learn.microsoft.com/graph/api/privilegedaccessgroupassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0,
// https://learn.microsoft.com/graph/api/accesspackageassignmentrequest-filterbycurrentuser?view=graph-rest-1.0)
// and, for a run's canceling state, https://learn.microsoft.com/graph/best-practices-concept#handling-future-members-in-evolvable-enumerations.

import { strict as assert } from 'node:assert';
import { explain } from '../../src/cards/wording';
import { InvalidStateError, NotAvailableInCloudError, NotFoundError } from '../../src/domain/errors';
import { Actor, GovernanceService, Outcome } from '../../src/domain/governance';
import { CATALOG, Cloud, OperationName, Target, stateIn } from '../../src/domain/operations';
import { RightsRefusedError } from '../../src/domain/rights';
import { GraphGateway } from '../../src/graph/graphGateway';
import { tenantFetch } from '../../src/sandbox/server';
import { DemoSeed, loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { DEFAULT_UNCONFIRMED, UnconfirmedBehaviour, unconfirmedVariants } from '../../src/sandbox/unconfirmed';
import { graphTokenFor } from '../fixtures/tenantClient';

const BASE = 'https://127.0.0.1:9443';
const ADELES_ROLE_REQUEST = '95c690fb-3eb3-4942-a03f-4524aed6f31e';
const PROVISIONED_ROLE_REQUEST = '95c690fb-3eb3-4942-a03f-4524aed6f322';
const DELIVERED_ACCESS_REQUEST = '7999249e-249e-7999-9e24-99799e24997c';
const COMPLETED_TASK_RESULT = '6e1ec336-8d06-4386-a377-79dbab1a2eb9';
const UNKNOWN = '00000000-0000-4000-8000-0000000000ee';

const VARIANTS: Array<{ name: string; behaviour: UnconfirmedBehaviour }> = [
  { name: 'the defaults', behaviour: DEFAULT_UNCONFIRMED },
  ...unconfirmedVariants().map((v) => ({ name: `${v.key}=${String(v.behaviour[v.key])}`, behaviour: v.behaviour })),
];

for (const { name, behaviour } of VARIANTS) {
  describe(`governance against the simulated tenant with ${name}`, () => {
    let seed: DemoSeed;
    let tenant: SimulatedTenant;
    let svc: GovernanceService;
    const clock = Date.UTC(2026, 0, 5, 9);

    /** One tenant per cloud and alternative (a tenant makes its signing key); reloaded per test. */
    const serviceIn = (cloud: Cloud) => {
      tenant = new SimulatedTenant(loadDemoSeed(), { now: () => clock, unconfirmed: behaviour, cloud });
      const graph = new GraphGateway({ graphEndpoint: BASE, fetch: tenantFetch(tenant, BASE), now: () => clock });
      let n = 0;
      return new GovernanceService({ cloud, graph, audit: () => undefined, newId: () => `c-${++n}`, now: () => clock });
    };
    let global: { tenant: SimulatedTenant; svc: GovernanceService };
    before(() => {
      svc = serviceIn('global');
      global = { tenant, svc };
    });
    beforeEach(() => {
      ({ tenant, svc } = global);
      seed = loadDemoSeed();
      tenant.load(seed);
    });

    const actor = (displayName: string): Actor => {
      const user = seed.users.find((u) => u.displayName === displayName)!;
      const token = graphTokenFor(tenant, seed, displayName, BASE);
      return { aadObjectId: user.id, getToken: () => Promise.resolve(token) };
    };
    const request = (operation: OperationName, requestId: string): Target => ({ operation, ids: { requestId } });
    const failure = (o: Outcome) => {
      assert.ok(!o.ok, 'expected a failure');
      return o.error;
    };
    const pimSelfCancel = behaviour.pimSelfCancel === 'allowed';
    const pendingCancellable = behaviour.pimCancellableStates === 'legacyList';
    // Under the filterByCurrentUser page's note (the default) a requester without a PIM read role
    // cannot read even his own role requests: the bot cannot tell whose request it is, or its state.
    const readsOwnRoleRequests = behaviour.pimRoleMineRole === 'none';

    for (const [operation, ids] of [
      ['cancelRoleRequest', () => seed.selfService.roleRequestIds],
      ['cancelGroupRequest', () => seed.selfService.groupRequestIds],
    ] as const) {
      it(`${operation}: the requester cancels his own pending request, or is told why not`, async () => {
        const target = request(operation, ids()[0]!);
        const outcome = await svc.perform(target, actor('Diego Siciliani'));
        const readable = operation === 'cancelGroupRequest' || readsOwnRoleRequests;
        if (!pimSelfCancel) {
          const e = failure(outcome);
          assert.ok(e instanceof RightsRefusedError);
          assert.equal(e.own, readable ? true : null, 'the self-service read found it his own, when it may read');
          assert.deepEqual(e.missing, ['role']);
          const words = explain(e, CATALOG[operation]);
          if (readable) assert.match(words.what, /your own request, yet Graph asked for the role/);
          else assert.match(words.what, /Missing: the role Privileged Role Administrator/);
        } else if (!pendingCancellable) {
          const e = failure(outcome);
          assert.ok(e instanceof InvalidStateError);
          assert.equal(
            e.currentState,
            readable ? 'PendingApproval' : null,
            'read with filterByCurrentUser, as a requester may when the read is open to him',
          );
        } else {
          assert.ok(outcome.ok, JSON.stringify(outcome));
          const stored = operation === 'cancelRoleRequest' ? tenant.getRoleRequest(ids()[0]!) : null;
          if (stored) assert.equal(stored.status, 'Canceled');
        }
      });
    }

    it('cancelAccessPackageRequest: the requester cancels his own request', async () => {
      const id = seed.selfService.accessRequestIds[0]!;
      const outcome = await svc.perform(request('cancelAccessPackageRequest', id), actor('Diego Siciliani'));
      assert.ok(outcome.ok, JSON.stringify(outcome));
      assert.equal(tenant.getAccessRequest(id)?.state, 'canceled');
    });

    it("the administrator cancels the requester's requests", async () => {
      const megan = actor('Megan Bowen');
      const em = await svc.perform(request('cancelAccessPackageRequest', seed.selfService.accessRequestIds[1]!), megan);
      assert.ok(em.ok, JSON.stringify(em));
      const role = await svc.perform(request('cancelRoleRequest', seed.selfService.roleRequestIds[1]!), megan);
      if (pendingCancellable) assert.ok(role.ok, JSON.stringify(role));
      else assert.equal((failure(role) as InvalidStateError).currentState, 'PendingApproval');
    });

    it("the requester trying someone else's request is refused, naming the permission and the role", async () => {
      const e = failure(await svc.perform(request('cancelRoleRequest', ADELES_ROLE_REQUEST), actor('Diego Siciliani')));
      assert.ok(e instanceof RightsRefusedError);
      assert.equal(e.own, readsOwnRoleRequests ? false : null);
      assert.deepEqual(e.missing, ['role']);
      const words = explain(e, CATALOG.cancelRoleRequest);
      if (readsOwnRoleRequests) {
        // Known not his own: what is missing by kind, the rights for others' requests once, and
        // no rights for cancelling his own, which this is not.
        assert.match(words.what, /someone else's request/);
        assert.match(words.what, /Missing: the role named below/);
        assert.doesNotMatch(words.next, /your own request you need/);
        assert.match(
          words.next,
          /To cancel someone else's request you need .* and the role Privileged Role Administrator/,
        );
        // Once: neither the role nor the permission is named again anywhere in the words.
        const all = `${words.what} ${words.next}`;
        assert.equal(all.split('Privileged Role Administrator').length - 1, 1, all);
        assert.equal(all.split('RoleAssignmentSchedule.ReadWrite.Directory').length - 1, 1, all);
        assert.equal(all.split(' you need ').length - 1, 1, all);
      } else {
        assert.match(words.what, /Missing: the role Privileged Role Administrator/);
        assert.match(words.next, /To cancel your own request you need the delegated permission RoleAssignmentSchedule/);
        assert.match(
          words.next,
          /to cancel someone else's request you need .* and the role Privileged Role Administrator/,
        );
      }
      assert.equal(tenant.getRoleRequest(ADELES_ROLE_REQUEST)?.status, 'PendingApproval');
    });

    it('a PIM request that cannot be cancelled is explained with its state, whatever error Graph sends', async () => {
      const e = failure(
        await svc.perform(request('cancelRoleRequest', PROVISIONED_ROLE_REQUEST), actor('Megan Bowen')),
      );
      assert.ok(e instanceof InvalidStateError);
      assert.equal(e.currentState, 'Provisioned');
    });

    it('an unknown request id is "not found", whether Graph answers 404 or 400', async () => {
      const e = failure(await svc.perform(request('cancelAccessPackageRequest', UNKNOWN), actor('Megan Bowen')));
      assert.ok(e instanceof NotFoundError, e.constructor.name);
    });

    it('an access package request that cannot be cancelled is explained with its state (400 or 409)', async () => {
      const e = failure(
        await svc.perform(request('cancelAccessPackageRequest', DELIVERED_ACCESS_REQUEST), actor('Megan Bowen')),
      );
      assert.ok(e instanceof InvalidStateError);
      assert.equal(e.currentState?.toLowerCase(), 'delivered');
    });

    it('a task result that is not in progress is explained with its state (400 or 409)', async () => {
      const e = seed.examples;
      const target: Target = {
        operation: 'resumeTask',
        ids: { workflowId: e.taskWorkflowId, taskId: e.taskId, taskProcessingResultId: COMPLETED_TASK_RESULT },
        decision: 'completed',
      };
      const error = failure(await svc.perform(target, actor('Megan Bowen')));
      assert.ok(error instanceof InvalidStateError);
      assert.equal(error.currentState, 'completed');
    });

    it('a cancelled run reads canceling or canceled, both proof of the cancel', async () => {
      const e = seed.examples;
      const run: Target = { operation: 'cancelWorkflowRun', ids: { workflowId: e.workflowId, runId: e.runId } };
      const megan = actor('Megan Bowen');
      assert.ok((await svc.perform(run, megan)).ok);
      const read = await svc.currentState(run, megan);
      assert.ok(!(read instanceof Error));
      assert.equal(read.state, behaviour.runCancelingMs === 0 ? 'canceled' : 'canceling');
      assert.ok(stateIn(read.state, CATALOG.cancelWorkflowRun.decisions[0]!.provenBy));
    });

    it('resume in the China cloud: done where Graph offers it, otherwise "not offered here"', async () => {
      svc = serviceIn('china');
      tenant.load(seed);
      const e = seed.examples;
      const target: Target = {
        operation: 'resumeTask',
        ids: { workflowId: e.taskWorkflowId, taskId: e.taskId, taskProcessingResultId: e.taskProcessingResultId },
        decision: 'completed',
      };
      const outcome = await svc.perform(target, actor('Megan Bowen'));
      if (behaviour.resumeInChina === 'available') {
        assert.ok(outcome.ok, JSON.stringify(outcome));
      } else {
        const error = failure(outcome);
        assert.ok(error instanceof NotAvailableInCloudError, error.constructor.name);
        assert.equal(error.cloud, 'china');
        assert.match(explain(error, CATALOG.resumeTask).what, /documentation lists/);
      }
    });
  });
}
