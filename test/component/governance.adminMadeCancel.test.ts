// A requester without an admin role asking to cancel a PIM assignment an administrator created for
// them: Graph refuses it (self-service is for "a role assignment request they created", "a
// membership or ownership assignment request they created"), and the bot says why, not that their
// organization keeps requesters from cancelling their own requests.
// https://learn.microsoft.com/en-us/graph/api/resources/privilegedidentitymanagementv3-overview?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/api/resources/privilegedidentitymanagement-for-groups-api-overview?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/api/privilegedaccessgroupassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0
//   (createdBy of the request the self-service read finds)

import { strict as assert } from 'node:assert';
import { explain } from '../../src/cards/wording';
import { Actor, GovernanceService } from '../../src/domain/governance';
import { CATALOG, OperationName } from '../../src/domain/operations';
import { RightsRefusedError } from '../../src/domain/rights';
import { GraphGateway } from '../../src/graph/graphGateway';
import { tenantFetch } from '../../src/sandbox/server';
import { DemoSeed, loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { DEFAULT_UNCONFIRMED } from '../../src/sandbox/unconfirmed';
import { graphTokenFor } from '../fixtures/tenantClient';

const BASE = 'https://127.0.0.1:9443';
const ROLE_ASSIGNED = '95c690fb-3eb3-4942-a03f-4524aed6f3a0';
const GROUP_ASSIGNED = 'f4b57a8c-da56-4ae0-8aef-65c3a043dba0';
const clock = Date.UTC(2026, 0, 5, 9);

describe('governance: cancelling a PIM assignment an administrator made for you', () => {
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  let svc: GovernanceService;

  beforeEach(() => {
    seed = loadDemoSeed();
    // The role filter's read open to a requester without a PIM read role, so the bot can tell the
    // request is theirs (an unconfirmed fact; the groups filter asks no role).
    tenant = new SimulatedTenant(seed, {
      now: () => clock,
      unconfirmed: { ...DEFAULT_UNCONFIRMED, pimRoleMineRole: 'none' },
    });
    const graph = new GraphGateway({ graphEndpoint: BASE, fetch: tenantFetch(tenant, BASE), now: () => clock });
    let n = 0;
    svc = new GovernanceService({
      cloud: 'global',
      graph,
      audit: () => undefined,
      newId: () => `c-${++n}`,
      now: () => clock,
    });
    const common = {
      status: 'Granted',
      action: 'adminAssign',
      createdBy: 'Megan Bowen',
      justification: 'Audit',
      duration: 'PT8H',
    };
    tenant.addRoleRequest({ ...common, id: ROLE_ASSIGNED, roleName: 'Reports Reader', principal: 'Diego Siciliani' });
    tenant.addGroupRequest({
      ...common,
      id: GROUP_ASSIGNED,
      groupName: 'Finance approvers',
      accessId: 'member',
      principal: 'Patti Fernandez',
    });
  });

  const actor = (displayName: string): Actor => {
    const user = seed.users.find((u) => u.displayName === displayName)!;
    const token = graphTokenFor(tenant, seed, displayName, BASE);
    return { aadObjectId: user.id, getToken: () => Promise.resolve(token) };
  };

  for (const [operation, requestId, principal] of [
    ['cancelRoleRequest', ROLE_ASSIGNED, 'Diego Siciliani'],
    ['cancelGroupRequest', GROUP_ASSIGNED, 'Patti Fernandez'],
  ] as const) {
    it(`${operation}: refused, and the card says someone else created it`, async () => {
      const outcome = await svc.perform(
        { operation: operation as OperationName, ids: { requestId } },
        actor(principal),
      );
      assert.ok(!outcome.ok, 'Graph refuses the principal who did not create it');
      const e = outcome.error;
      assert.ok(e instanceof RightsRefusedError, String(e));
      assert.equal(e.own, true, 'the self-service read finds it among theirs');
      assert.equal(e.createdByOther, true);
      const words = explain(e, CATALOG[operation]);
      assert.match(words.what, /someone else \(an administrator\) created it/);
      assert.doesNotMatch(words.what, /your organization does not let requesters/);
      // The rights it names are the admin ones alone: not that their own needs no admin role.
      assert.doesNotMatch(words.next, /no admin role/);
      assert.doesNotMatch(words.next, /your own request you need/);
      assert.match(
        words.next,
        /or one someone else created for you, you need the delegated permission .+ and the role /,
      );
    });
  }

  it('a request the principal created is still theirs alone to cancel', async () => {
    const own = seed.selfService.groupRequestIds[0]!;
    const outcome = await svc.perform(
      { operation: 'cancelGroupRequest', ids: { requestId: own } },
      actor('Diego Siciliani'),
    );
    assert.ok(outcome.ok, JSON.stringify(outcome));
  });
});
