// "my requests" through the real handler, the Graph reader and the simulated tenant: the user's
// own pending requests with Cancel that works from the list, and the PIM role requests the role
// filter does not list said so, not hidden.
// https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-filterbycurrentuser?view=graph-rest-1.0

import { strict as assert } from 'node:assert';
import { Rig } from './botRig';
import { buttonsOf, headingOf, headings, rowsOf, listSession } from './listSession';

describe('my requests: the list card', () => {
  let rig: Rig;
  const { list, press } = listSession((r) => (rig = r));

  it('my requests: the user’s own pending requests, each with Cancel that works from the list', async () => {
    const diego = rig.user(6);
    const { card, content } = await list(diego, 'my requests');
    // His two PIM for Groups requests and his two access package requests (one waiting for
    // approval, one just submitted: both cancellable). His PIM role requests are not
    // listed: filterByCurrentUser on role requests asks a PIM read role he lacks
    // (https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0),
    // and the card says that part could not be listed instead of hiding it.
    assert.equal(headings(content).length, 4);
    assert.match(JSON.stringify(content), /PIM role requests could not be listed: not permitted/);
    // It names the read's roles, not the rights to cancel a request (a different question).
    assert.match(
      JSON.stringify(content),
      /lists them only to someone with one of the roles Global Reader, Security Operator, Security Reader, Security Administrator or Privileged Role Administrator/,
    );
    assert.doesNotMatch(JSON.stringify(content), /To cancel your own/);
    const row = rowsOf(content).find((r) => headingOf(r) === 'Access package · Contoso sales portal')!;
    const cancel = buttonsOf(row);
    assert.deepEqual(
      cancel.map((b) => b.title),
      ['Cancel'],
    );
    const answer = await press(diego, card.id!, cancel[0]!.data as Record<string, unknown>);
    assert.match(JSON.stringify(answer.value), /Cancelled by Diego Siciliani/);
    assert.equal(rig.tenant.getAccessRequest(rig.seed.selfService.accessRequestIds[0]!)?.state, 'canceled');
  });

  it('my requests: with the PIM overview’s reading (no read role for one’s own), his role requests are listed too', async () => {
    rig.tenant.setUnconfirmed({ pimRoleMineRole: 'none' });
    const { content } = await list(rig.user(6), 'my requests');
    assert.equal(headings(content).length, 6);
    assert.doesNotMatch(JSON.stringify(content), /could not be listed/);
  });

  // Cancel accepts an access package request that is submitted, waiting for approval or waiting for
  // its start date (the cancel page's accepted, pendingApproval, pendingNotBefore,
  // pendingApprovalEscalated; `state` submitted, pendingApproval, scheduled), and a PIM request that
  // is Granted (the v1.0 cancel page) or still pending:
  // https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-cancel?view=graph-rest-1.0
  // https://learn.microsoft.com/en-us/graph/api/resources/accesspackageassignmentrequest?view=graph-rest-1.0
  // https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-cancel?view=graph-rest-1.0
  // "my requests" lists every one of them, and each row's Cancel works.
  it('my requests: every request cancel accepts is listed (submitted, scheduled, Granted, pending), and each Cancel works', async () => {
    rig.tenant.setUnconfirmed({ pimRoleMineRole: 'none' });
    const scheduled = '7999249e-249e-7999-9e24-99799e2499a1';
    const grantedGroup = 'f4b57a8c-da56-4ae0-8aef-65c3a043dac1';
    const grantedRole = '95c690fb-3eb3-4942-a03f-4524aed6f3a1';
    const adminDecision = '95c690fb-3eb3-4942-a03f-4524aed6f3a2';
    const delivered = '7999249e-249e-7999-9e24-99799e2499a2';
    const diegoName = 'Diego Siciliani';
    rig.tenant.addAccessRequest({
      id: scheduled,
      state: 'scheduled',
      status: 'PendingNotBefore',
      accessPackageName: 'Quarter-end close',
      requestor: diegoName,
      requestType: 'userAdd',
    });
    rig.tenant.addAccessRequest({
      id: delivered,
      state: 'delivered',
      status: 'Delivered',
      accessPackageName: 'Already delivered',
      requestor: diegoName,
      requestType: 'userAdd',
    });
    rig.tenant.addGroupRequest({
      id: grantedGroup,
      status: 'Granted',
      groupName: 'Audit team',
      accessId: 'member',
      principal: diegoName,
      justification: 'Starts Monday',
      duration: 'PT8H',
    });
    rig.tenant.addRoleRequest({
      id: grantedRole,
      status: 'Granted',
      roleName: 'Reports Reader',
      principal: diegoName,
      justification: 'Starts Monday',
      duration: 'PT8H',
    });
    rig.tenant.addRoleRequest({
      id: adminDecision,
      status: 'PendingAdminDecision',
      roleName: 'Billing Administrator',
      principal: diegoName,
      justification: 'Invoices',
      duration: 'PT8H',
    });
    const diego = rig.user(6);
    const { card, content } = await list(diego, 'my requests');
    const text = JSON.stringify(content);
    assert.doesNotMatch(text, /could not be listed/);
    assert.doesNotMatch(text, /Already delivered/, 'a delivered request cannot be cancelled: not listed');
    const ids = [rig.seed.selfService.accessRequestIds[1]!, scheduled, grantedGroup, grantedRole, adminDecision];
    const rows = rowsOf(content);
    const cancelOf = (id: string) =>
      rows.flatMap(buttonsOf).find((b) => JSON.stringify(b.data).toLowerCase().includes(id));
    for (const id of ids) assert.ok(cancelOf(id), `request ${id} is listed with Cancel`);
    for (const id of ids) {
      const answer = await press(diego, card.id!, cancelOf(id)!.data as Record<string, unknown>);
      assert.match(
        JSON.stringify(answer.value),
        /Cancelled by Diego Siciliani/,
        `request ${id} cancelled from its row`,
      );
    }
    assert.equal(rig.tenant.getAccessRequest(scheduled)?.state, 'canceled');
    assert.equal(rig.tenant.getAccessRequest(rig.seed.selfService.accessRequestIds[1]!)?.state, 'canceled');
    assert.equal(rig.tenant.getGroupRequest(grantedGroup)?.status, 'Canceled');
    assert.equal(rig.tenant.getRoleRequest(grantedRole)?.status, 'Canceled');
    assert.equal(rig.tenant.getRoleRequest(adminDecision)?.status, 'Canceled');
    // Each state is its own `eq` read: neither `or` nor `in` is documented for these filters.
    const filters = rig.tenant
      .graphRequests()
      .filter((r) => r.path.includes('filterByCurrentUser'))
      .map((r) => decodeURIComponent(r.query));
    for (const f of filters) assert.doesNotMatch(f, /\bor\b|\bin\s*\(/, f);
  });
});
