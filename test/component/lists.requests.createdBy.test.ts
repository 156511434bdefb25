// "my requests" lists a user's PIM requests by principal (filterByCurrentUser(on='principal')),
// which includes an assignment an administrator created for them (adminAssign). Graph lets a
// principal cancel without an administrator role only "a role assignment request they created" and
// "a membership or ownership assignment request they created": such a row offers no Cancel (its
// press could only end in Graph's 403) and says why and where it is cancelled; the user's own
// requests keep theirs. The request's createdBy names its creator: the role read's $select asks for it.
// https://learn.microsoft.com/en-us/graph/api/resources/privilegedidentitymanagementv3-overview?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/api/resources/privilegedidentitymanagement-for-groups-api-overview?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/api/resources/unifiedroleassignmentschedulerequest?view=graph-rest-1.0 (createdBy)
// https://learn.microsoft.com/en-us/graph/api/resources/privilegedaccessgroupassignmentschedulerequest?view=graph-rest-1.0 (createdBy)

import { strict as assert } from 'node:assert';
import type { Rig } from './botRig';
import { buttonsOf, headingOf, listSession, requestIdOf, rowsOf } from './listSession';

const ROLE_ASSIGNED = '95c690fb-3eb3-4942-a03f-4524aed6f3b0';
const GROUP_ASSIGNED = 'f4b57a8c-da56-4ae0-8aef-65c3a043dbb0';
const OWN_ROLE = '95c690fb-3eb3-4942-a03f-4524aed6f3b1';
const DIEGO = 'Diego Siciliani';

describe('my requests: a PIM request an administrator created for the user', () => {
  let rig: Rig;
  const { list, press } = listSession((r) => (rig = r));

  beforeEach(() => {
    // His role requests listed (the PIM overview's reading: no read role for one's own).
    rig.tenant.setUnconfirmed({ pimRoleMineRole: 'none' });
    const assigned = {
      status: 'Granted',
      action: 'adminAssign',
      principal: DIEGO,
      createdBy: 'Megan Bowen',
      justification: 'Quarterly audit',
      duration: 'PT8H',
    };
    rig.tenant.addRoleRequest({ ...assigned, id: ROLE_ASSIGNED, roleName: 'Reports Reader' });
    rig.tenant.addGroupRequest({ ...assigned, id: GROUP_ASSIGNED, groupName: 'Audit team', accessId: 'member' });
    rig.tenant.addRoleRequest({
      id: OWN_ROLE,
      status: 'Granted',
      roleName: 'Billing Administrator',
      principal: DIEGO,
      justification: 'Invoices',
      duration: 'PT8H',
    });
  });

  it('shows the administrator’s assignments without Cancel, saying why and where; his own keep Cancel', async () => {
    const diego = rig.user(6);
    const { card, content } = await list(diego, 'my requests');
    const rows = rowsOf(content);
    const rowOf = (id: string) => rows.find((r) => requestIdOf(r) === id);
    for (const [id, heading, where] of [
      [ROLE_ASSIGNED, 'PIM role · Reports Reader', /Microsoft Entra roles > Assignments/],
      [GROUP_ASSIGNED, 'PIM for Groups · Audit team', /Groups > the group > Assignments/],
    ] as const) {
      const row = rowOf(id);
      assert.ok(row, `${heading} is listed`);
      assert.equal(headingOf(row), heading);
      assert.deepEqual(buttonsOf(row), [], `${heading}: no Cancel`);
      const text = JSON.stringify(row);
      assert.match(text, /Created for you by someone else \(an administrator\)/);
      assert.match(text, /without an administrator role, Microsoft Graph lets you cancel only requests you created/);
      assert.match(text, where);
    }
    assert.match(JSON.stringify(rowOf(ROLE_ASSIGNED)), /the role Privileged Role Administrator/);
    assert.match(JSON.stringify(rowOf(ROLE_ASSIGNED)), new RegExp(`cancel role-request ${ROLE_ASSIGNED}`));
    // His own requests (the seed's and the one added) keep Cancel, and it works.
    const own = rows.filter((r) => ![ROLE_ASSIGNED, GROUP_ASSIGNED].includes(requestIdOf(r)));
    assert.ok(own.length >= 3, 'his own requests are listed');
    for (const r of own) {
      assert.deepEqual(
        buttonsOf(r).map((b) => b.title),
        ['Cancel'],
        headingOf(r),
      );
      assert.doesNotMatch(JSON.stringify(r), /someone else/);
    }
    const cancel = buttonsOf(rowOf(OWN_ROLE)!)[0]!;
    const answer = await press(diego, card.id!, cancel.data as Record<string, unknown>);
    assert.match(JSON.stringify(answer.value), /Cancelled by Diego Siciliani/);
    assert.equal(rig.tenant.getRoleRequest(OWN_ROLE)?.status, 'Canceled');
    assert.equal(rig.tenant.getRoleRequest(ROLE_ASSIGNED)?.status, 'Granted');
  });

  it('a typed cancel of the administrator’s assignment still gets Graph’s refusal, said honestly', async () => {
    const diego = rig.user(6);
    const { sent } = await rig.message(diego, `cancel role-request ${ROLE_ASSIGNED}`);
    const text = JSON.stringify(sent);
    assert.match(text, /someone else \(an administrator\) created it/);
    assert.equal(rig.tenant.getRoleRequest(ROLE_ASSIGNED)?.status, 'Granted');
  });
});
