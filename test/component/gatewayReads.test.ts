// Reads as the user is entitled to: the gateway against the strict simulated tenant, for a
// requester without admin roles (Diego Siciliani), an administrator (Megan Bowen) and a user who
// holds only the self-service permission (Adele Vance).
//
// Microsoft's pages for the reads:
// - https://learn.microsoft.com/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0
//   (`on='principal'`: the requests whose principal is the signed-in user; $filter supported)
// - https://learn.microsoft.com/graph/api/privilegedaccessgroupassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0
// - https://learn.microsoft.com/graph/api/accesspackageassignmentrequest-filterbycurrentuser?view=graph-rest-1.0
//   (`on='target'`: the requests where the signed-in user is the target)
// - https://learn.microsoft.com/graph/api/unifiedroleassignmentschedulerequest-get?view=graph-rest-1.0
//   (get by id: an admin read, with the read roles of PIM)
// - https://learn.microsoft.com/graph/best-practices-concept#handling-future-members-in-evolvable-enumerations
//   and https://learn.microsoft.com/graph/api/resources/enums-identitygovernance-lifecycleworkflowprocessingstatus?view=graph-rest-1.0
//   (`canceling` only with `Prefer: include-unknown-enum-members`)

import { strict as assert } from 'node:assert';
import { NotFoundError, NotPermittedError } from '../../src/domain/errors';
import { StateRead } from '../../src/domain/governance';
import { CATALOG, OperationName, OperationSpec, Target } from '../../src/domain/operations';
import { GraphGateway } from '../../src/graph/graphGateway';
import { tenantFetch } from '../../src/sandbox/server';
import { DemoSeed, loadDemoSeed } from '../../src/sandbox/seed';
import { LoggedRequest, SimulatedTenant } from '../../src/sandbox/tenant';
import { DEFAULT_UNCONFIRMED } from '../../src/sandbox/unconfirmed';
import { graphTokenFor } from '../fixtures/tenantClient';

const BASE = 'https://127.0.0.1:9443';
const OWN_ROLE_READS_OPEN = { ...DEFAULT_UNCONFIRMED, pimRoleMineRole: 'none' } as const;
const MEGAN = 'Megan Bowen';
const ADELE = 'Adele Vance';
const PATTI = 'Patti Fernandez';
const DIEGO = 'Diego Siciliani';

describe('GraphGateway reads as the user is entitled to', () => {
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  let gateway: GraphGateway;
  let clock: number;

  beforeEach(() => {
    seed = loadDemoSeed();
    clock = Date.UTC(2026, 0, 5, 9);
    // These tests exercise the self-service reads themselves, so the tenant plays the reading under
    // which a requester may read his own PIM role requests without a role (the PIM overview's
    // principal scenario); the default, the filterByCurrentUser page's note asking a PIM read role,
    // is pinned by the last test.
    tenant = new SimulatedTenant(seed, { now: () => clock, unconfirmed: OWN_ROLE_READS_OPEN });
    gateway = new GraphGateway({ graphEndpoint: BASE, fetch: tenantFetch(tenant, BASE), now: () => clock });
  });

  const as = (name: string) => {
    const token = graphTokenFor(tenant, seed, name, BASE);
    tenant.clearLog();
    return () => Promise.resolve(token);
  };
  const request = (operation: OperationName, requestId: string): Target => ({ operation, ids: { requestId } });
  const lines = () => tenant.graphRequests().map((r: LoggedRequest) => `${r.status} ${r.method} ${r.path}`);
  const filterOf = (r: LoggedRequest | undefined) => new URLSearchParams(r?.query ?? '').get('$filter');

  const own: Array<[OperationName, () => string, string, string]> = [
    ['cancelRoleRequest', () => seed.selfService.roleRequestIds[0]!, 'principal', 'PendingApproval'],
    ['cancelGroupRequest', () => seed.selfService.groupRequestIds[0]!, 'principal', 'PendingApproval'],
    ['cancelAccessPackageRequest', () => seed.selfService.accessRequestIds[0]!, 'target', 'pendingApproval'],
  ];

  for (const [operation, idOf, on, state] of own) {
    it(`${operation}: a requester holding the admin permission but no role reads their own request with filterByCurrentUser(on='${on}')`, async () => {
      const id = idOf();
      const read = await gateway.readState(request(operation, id), as(DIEGO));
      assert.equal(read.state, state);
      assert.equal(read.item?.id, id);
      const reqs = tenant.graphRequests();
      const self = CATALOG[operation].selfService!.read;
      assert.deepEqual(lines(), [
        `403 GET /v1.0${CATALOG[operation].read.path.replace('{requestId}', id)}`,
        `200 GET /v1.0${self.path}`,
      ]);
      assert.ok(self.path.endsWith(`filterByCurrentUser(on='${on}')`));
      // PIM's resource pages list id as filterable (eq, ne); the access package request's page does
      // not, and entitlement management refuses it with 400 InvalidFilter, so that read takes the
      // whole answer and finds the item by id
      // (https://learn.microsoft.com/graph/api/resources/accesspackageassignmentrequest?view=graph-rest-1.0,
      // https://github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/8922).
      assert.equal(filterOf(reqs[1]), operation === 'cancelAccessPackageRequest' ? null : `id eq '${id}'`);
    });
  }

  it('the access package self read follows @odata.nextLink under this Graph root until the request turns up', async () => {
    const id = seed.selfService.accessRequestIds[1]!;
    const inner = tenantFetch(tenant, BASE);
    const seen: string[] = [];
    // The first page is empty and points on; a link to another host would never be followed. The
    // second page is the tenant's first: the made-up token is this fake's own, and the tenant
    // refuses a $skiptoken it did not give (https://learn.microsoft.com/graph/paging).
    const paged: typeof inner = async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      seen.push(url);
      if (url.includes("filterByCurrentUser(on='target')") && !url.includes('skiptoken')) {
        const next = url.replace(/\?.*$/, '') + '?$skiptoken=page2';
        return new Response(JSON.stringify({ value: [], '@odata.nextLink': next }), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        });
      }
      return inner(url.replace(/[?&](\$|%24)skiptoken=page2$/, ''), init);
    };
    gateway = new GraphGateway({ graphEndpoint: BASE, fetch: paged, now: () => clock });
    const read = await gateway.readOwn(request('cancelAccessPackageRequest', id), as(DIEGO));
    assert.equal(read?.item?.id, id);
    assert.equal(seen.length, 2);
    assert.match(seen[1]!, /skiptoken=page2/);
  });

  it('an administrator reads anyone’s request by id, with one call', async () => {
    const id = seed.selfService.roleRequestIds[0]!;
    const read = await gateway.readState(request('cancelRoleRequest', id), as(MEGAN));
    assert.equal(read.state, 'PendingApproval');
    assert.deepEqual(lines(), [`200 GET /v1.0/roleManagement/directory/roleAssignmentScheduleRequests/${id}`]);
    const em = seed.selfService.accessRequestIds[0]!;
    tenant.clearLog();
    assert.equal(
      (await gateway.readState(request('cancelAccessPackageRequest', em), as(MEGAN))).state,
      'pendingApproval',
    );
    assert.equal(tenant.graphRequests().length, 1);
  });

  it('a user without the admin read permission goes straight to the self-service read', async () => {
    // Adele holds EntitlementMgmt-SubjectAccess.ReadWrite only: no admin read is tried.
    const id = '7999249e-249e-7999-9e24-99799e249979';
    const read = await gateway.readState(request('cancelAccessPackageRequest', id), as(ADELE));
    assert.equal(read.state, 'pendingApproval');
    assert.deepEqual(lines(), [
      "200 GET /v1.0/identityGovernance/entitlementManagement/assignmentRequests/filterByCurrentUser(on='target')",
    ]);
  });

  it('someone else’s request is refused as not permitted, never as missing (the write must still be tried)', async () => {
    const megans = '7999249e-249e-7999-9e24-99799e24997f';
    await assert.rejects(gateway.readState(request('cancelAccessPackageRequest', megans), as(DIEGO)), (e: unknown) => {
      assert.ok(e instanceof NotPermittedError);
      assert.ok(!(e instanceof NotFoundError));
      return true;
    });
    const adeles = '95c690fb-3eb3-4942-a03f-4524aed6f31e';
    await assert.rejects(gateway.readState(request('cancelRoleRequest', adeles), as(DIEGO)), NotPermittedError);
    assert.equal(await gateway.readOwn(request('cancelRoleRequest', adeles), as(DIEGO)), null);
    const mine = await gateway.readOwn(request('cancelRoleRequest', seed.selfService.roleRequestIds[1]!), as(DIEGO));
    assert.equal(mine?.state, 'PendingApproval');
    assert.equal(
      await gateway.readOwn(
        { operation: 'cancelWorkflowRun', ids: { workflowId: seed.examples.workflowId, runId: seed.examples.runId } },
        as(MEGAN),
      ),
      undefined,
      'no self-service read for workflow runs',
    );
  });

  it('reads a run and a task processing result with Prefer: include-unknown-enum-members, so canceling shows', async () => {
    const e = seed.examples;
    const run: Target = { operation: 'cancelWorkflowRun', ids: { workflowId: e.workflowId, runId: e.runId } };
    const megan = as(MEGAN);
    await gateway.write(run, megan);
    tenant.clearLog();
    assert.equal((await gateway.readState(run, megan)).state, 'canceling', 'not unknownFutureValue');
    const task: Target = {
      operation: 'resumeTask',
      ids: { workflowId: e.taskWorkflowId, taskId: e.taskId, taskProcessingResultId: e.taskProcessingResultId },
      decision: 'completed',
    };
    assert.equal((await gateway.readState(task, megan)).state, 'inProgress');
    const prefer = tenant.graphRequests().map((r) => r.headers.prefer);
    assert.deepEqual(prefer, ['include-unknown-enum-members', 'include-unknown-enum-members']);
  });

  // Navigation properties come only with $expand (https://learn.microsoft.com/graph/query-parameters#expand):
  // a read that needs one (a name on a card) asks for it, in both reads.
  it('asks for the navigation properties an entry names with $expand, in both reads', async () => {
    const mutable = CATALOG as Record<string, OperationSpec>;
    const original = mutable.cancelRoleRequest!;
    mutable.cancelRoleRequest = {
      ...original,
      read: { ...original.read, expand: ['roleDefinition'] },
      selfService: { ...original.selfService!, read: { ...original.selfService!.read, expand: ['roleDefinition'] } },
    };
    try {
      const id = seed.selfService.roleRequestIds[0]!;
      const name = (r: StateRead) => (r.item?.roleDefinition as { displayName?: string } | undefined)?.displayName;
      const byId = await gateway.readState(request('cancelRoleRequest', id), as(MEGAN));
      assert.equal(typeof name(byId), 'string');
      const own = await gateway.readState(request('cancelRoleRequest', id), as(DIEGO));
      assert.equal(name(own), name(byId));
      const expands = tenant.graphRequests().map((r) => new URLSearchParams(r.query).get('$expand'));
      assert.deepEqual(expands, ['roleDefinition', 'roleDefinition'], 'the refused admin read, then his own');
    } finally {
      mutable.cancelRoleRequest = original;
    }
    tenant.clearLog();
    const plain = await gateway.readState(request('cancelRoleRequest', seed.selfService.roleRequestIds[0]!), as(MEGAN));
    assert.equal(plain.item?.roleDefinition, undefined, 'nothing expanded that no card uses');
    assert.equal(new URLSearchParams(tenant.graphRequests()[0]?.query ?? '').get('$expand'), null);
  });

  it('a 403 on a write says which right was missing, from the token’s own scopes', async () => {
    const adeles = request('cancelAccessPackageRequest', '7999249e-249e-7999-9e24-99799e249979');
    // Diego holds EntitlementManagement.ReadWrite.All: only the role can be missing.
    await assert.rejects(gateway.write(adeles, as(DIEGO)), (e: unknown) => {
      assert.ok(e instanceof NotPermittedError);
      assert.deepEqual((e as unknown as { missing: unknown }).missing, ['role']);
      return true;
    });
    // Patti holds only the self-service permission: someone else's request needs both.
    await assert.rejects(gateway.write(adeles, as(PATTI)), (e: unknown) => {
      assert.deepEqual((e as { missing?: unknown }).missing, ['permission', 'role']);
      return true;
    });
  });
  // https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0:
  // the signed-in user needs a PIM read role (Global Reader, Security Operator, Security Reader,
  // Security Administrator or Privileged Role Administrator); the page names no exemption for one's
  // own requests. The requester without one is refused, and the gateway says so: never "not yours".
  it('under the page’s note, a requester without a PIM read role cannot read even his own role request', async () => {
    tenant = new SimulatedTenant(seed, { now: () => clock });
    gateway = new GraphGateway({ graphEndpoint: BASE, fetch: tenantFetch(tenant, BASE), now: () => clock });
    const id = seed.selfService.roleRequestIds[0]!;
    const diego = as(DIEGO);
    await assert.rejects(gateway.readOwn(request('cancelRoleRequest', id), diego), NotPermittedError);
    await assert.rejects(gateway.readState(request('cancelRoleRequest', id), diego), NotPermittedError);
    assert.deepEqual(lines(), [
      `403 GET /v1.0/roleManagement/directory/roleAssignmentScheduleRequests/filterByCurrentUser(on='principal')`,
      `403 GET /v1.0/roleManagement/directory/roleAssignmentScheduleRequests/${id}`,
      `403 GET /v1.0/roleManagement/directory/roleAssignmentScheduleRequests/filterByCurrentUser(on='principal')`,
    ]);
    // His PIM for Groups and access package requests stay readable: their pages ask no such role.
    assert.equal(
      (await gateway.readOwn(request('cancelGroupRequest', seed.selfService.groupRequestIds[0]!), diego))?.state,
      'PendingApproval',
    );
  });
});
