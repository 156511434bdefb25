// An extension or renewal of an ELIGIBLE PIM assignment is an eligibility schedule request with an
// approvalId, and waits for an approver like one of an active assignment: users "can request to
// extend eligible or active (assigned) roles"
// (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-how-to-renew-extend;
// groups: "eligible and active assignments",
// https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/groups-renew-extend;
// https://learn.microsoft.com/en-us/graph/api/resources/unifiedroleeligibilityschedulerequest?view=graph-rest-1.0).
// Graph cannot decide it ("Approval for extend and renew requests is currently not supported by the
// Microsoft Graph API",
// https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow).
// The bot's read of the request before a decision looks among the eligibility requests too
// (filterByCurrentUser(on='approver'),
// https://learn.microsoft.com/en-us/graph/api/unifiedroleeligibilityschedulerequest-filterbycurrentuser?view=graph-rest-1.0,
// https://learn.microsoft.com/en-us/graph/api/privilegedaccessgroupeligibilityschedulerequest-filterbycurrentuser?view=graph-rest-1.0)
// when the approver's token holds their permission, and then sends no PATCH.

import { strict as assert } from 'node:assert';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import {
  GROUP_ELIGIBLE_RENEW,
  ROLE_ELIGIBLE_EXTEND,
  addEligibleExtendAndRenew,
  withEligibilityConsent,
} from '../fixtures/eligibilityExtend';
import { Rig } from './botRig';
import { buttonsOf, contentOf, rowsOf } from './listSession';
import { rigPerTest } from './rigPerTest';

const text = (x: unknown): string => JSON.stringify(x);
const BLADE = 'Microsoft Entra admin center.*Identity governance > Privileged Identity Management > Approve requests';

const KINDS = [
  { name: 'PIM role', command: 'role-request', id: ROLE_ELIGIBLE_EXTEND, what: 'an extension request for a role' },
  {
    name: 'PIM for Groups',
    command: 'group-request',
    id: GROUP_ELIGIBLE_RENEW,
    what: 'a renewal request for a group membership or ownership',
  },
] as const;

describe('PIM extension and renewal requests of eligible assignments through the bot', () => {
  let r: Rig;
  const patches = () => r.tenant.graphRequests().filter((q) => q.method === 'PATCH');
  const audits = () => r.logs.filter((l) => l.event === 'governance.action');
  rigPerTest(
    (rig) => {
      r = rig;
      addEligibleExtendAndRenew(rig.tenant);
    },
    { silent: true, tenant: new SimulatedTenant(withEligibilityConsent(loadDemoSeed())) },
  );

  it('my approvals lists them, each without buttons, saying to decide it in the Entra admin center', async () => {
    const { sent } = await r.message(r.user(0), 'my approvals');
    const rows = rowsOf(contentOf(sent.find((a) => a.attachments?.length)));
    for (const why of ['Still on the migration', 'Back on payroll']) {
      const row = rows.find((x) => text(x).includes(why));
      assert.ok(row, `a row for "${why}"`);
      assert.equal(buttonsOf(row).length, 0);
      assert.match(text(row), /Microsoft Entra admin center/);
    }
  });

  for (const k of KINDS) {
    for (const verb of ['approve', 'deny'] as const) {
      it(`${k.name}: ${verb} ${k.command} of it: no PATCH, says to decide it in the Entra admin center, audited INVALID_STATE`, async () => {
        const { sent } = await r.message(r.user(0), `${verb} ${k.command} ${k.id} Still needed`);
        const reply = text(sent);
        assert.match(reply, new RegExp(BLADE), reply.slice(0, 800));
        assert.match(reply, new RegExp(k.what, 'i'));
        assert.equal(patches().length, 0, 'no decision reached Graph');
        assert.equal(audits().at(-1)?.errorCode, 'INVALID_STATE');
        assert.ok(
          r.tenant.graphRequests().some((q) => /eligibilityScheduleRequests\/filterByCurrentUser/i.test(q.path)),
          'the eligibility requests were read',
        );
      });
    }
  }
});

describe('my approvals without the eligibility permissions', () => {
  let r: Rig;
  rigPerTest((rig) => {
    r = rig;
    addEligibleExtendAndRenew(rig.tenant);
  });

  it('reads no eligibility requests and names no part it could not list', async () => {
    const { sent } = await r.message(r.user(0), 'my approvals');
    assert.ok(!r.tenant.graphRequests().some((q) => /eligibilityScheduleRequests/i.test(q.path + q.query)));
    assert.doesNotMatch(text(sent), /could not be listed/);
  });
});

describe('my approvals with only read permissions of role eligibility', () => {
  // The role eligibility filter takes RoleEligibilitySchedule.ReadWrite.Directory or
  // RoleManagement.ReadWrite.Directory, and no Read permission
  // (https://learn.microsoft.com/en-us/graph/api/unifiedroleeligibilityschedulerequest-filterbycurrentuser?view=graph-rest-1.0):
  // a token holding only RoleEligibilitySchedule.Read.Directory or RoleManagement.Read.Directory
  // would be refused it, and the list would name a part it could not list.
  let r: Rig;
  const seed = loadDemoSeed();
  rigPerTest(
    (rig) => {
      r = rig;
      addEligibleExtendAndRenew(rig.tenant);
    },
    {
      silent: true,
      tenant: new SimulatedTenant({
        ...seed,
        users: seed.users.map((u) =>
          u.displayName === 'Megan Bowen'
            ? { ...u, scopes: [...u.scopes, 'RoleEligibilitySchedule.Read.Directory', 'RoleManagement.Read.Directory'] }
            : u,
        ),
      }),
    },
  );

  it('reads no role eligibility requests and names no part it could not list', async () => {
    const { sent } = await r.message(r.user(0), 'my approvals');
    assert.ok(!r.tenant.graphRequests().some((q) => /roleEligibilityScheduleRequests/i.test(q.path + q.query)));
    assert.doesNotMatch(text(sent), /could not be listed/);
  });
});
