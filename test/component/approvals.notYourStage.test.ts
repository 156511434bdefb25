// A typed decision on an approval that is not the signer's to decide. The bot reads the approval
// first and decides only the stage "assigned to you" that is InProgress (the approval's stages
// carry `assignedToMe`: https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0,
// https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0). When the
// read shows no such stage, no decision is sent: the answer must say that (not that Graph refused
// it, not that a permission or role is missing) and, since a requester often tries their own
// request, how to withdraw it instead. A decision Graph itself refuses names the decision that was
// asked, not always "approve".

import { strict as assert } from 'node:assert';
import { Rig } from './botRig';
import { rigPerTest } from './rigPerTest';

const text = (x: unknown): string => JSON.stringify(x);

describe('approvals through the bot: a decision that is not yours to make', () => {
  let r: Rig;
  const patches = () => r.tenant.graphRequests().filter((q) => q.method === 'PATCH');
  const lastAudit = () => r.logs.filter((l) => l.event === 'governance.action').at(-1);
  rigPerTest((rig) => {
    r = rig;
  });

  // Megan Bowen's own requests (seed selfService.adminOwnRequestIds), each waiting for Lynne
  // Robbins only.
  const cases = [
    { command: 'approve role-request', id: '95c690fb-3eb3-4942-a03f-4524aed6f330', cancel: 'cancel role-request' },
    { command: 'deny access-request', id: '7999249e-249e-7999-9e24-99799e249986', cancel: 'cancel access-request' },
    { command: 'deny group-request', id: 'f4b57a8c-da56-4ae0-8aef-65c3a043dabb', cancel: 'cancel group-request' },
  ];
  for (const c of cases) {
    it(`${c.command} of a request waiting for someone else: says so, sends nothing, says how to withdraw one's own`, async () => {
      const owner = r.user(0);
      assert.ok(r.seed.selfService.adminOwnRequestIds.includes(c.id));
      const { sent } = await r.message(owner, `${c.command} ${c.id} Not now`);
      const reply = text(sent);
      assert.equal(patches().length, 0, 'no decision reached Graph');
      assert.match(reply, /not an approver of this request’s current stage/);
      assert.doesNotMatch(reply, /Microsoft Graph refused/, reply);
      assert.doesNotMatch(reply, /delegated permission/, reply);
      assert.match(reply, new RegExp(`${c.cancel} ${c.id}`));
      assert.equal(lastAudit()?.errorCode, 'NOT_PERMITTED');
    });
  }

  // Graph refuses the approval's read to a requester who approves none of its stages (403: "This
  // API request is made by an approver",
  // https://learn.microsoft.com/en-us/graph/api/approval-get?view=graph-rest-1.0): the bot then
  // knows nothing of where the request stands, so it never says that its approvers can still decide.
  it('a requester whose own request was decided already is not told its approvers can still decide it', async () => {
    const id = '7999249e-249e-7999-9e24-99799e249986';
    const lynne = r.user(5);
    assert.equal(lynne.name, 'Lynne Robbins');
    const denied = await r.message(lynne, `deny access-request ${id} Not this quarter`);
    assert.match(text(denied.sent), /Denied/, text(denied.sent));
    const { sent } = await r.message(r.user(0), `approve access-request ${id}`);
    const reply = text(sent);
    assert.equal(patches().length, 1, 'only the denial reached Graph');
    assert.match(reply, /not an approver of this request’s current stage/, reply);
    assert.doesNotMatch(reply, /can still decide/, reply);
    assert.match(reply, /where this request stands is not known/, reply);
    assert.match(reply, new RegExp(`own request and it still waits, .*cancel access-request ${id}`), reply);
  });

  it('approve role-request of a later stage than the open one: says to wait for it, not to withdraw', async () => {
    // 95c690fb-…f32b: stage 1 Megan Bowen, stage 2 Lynne Robbins (seed approvalStages).
    const lynne = r.user(5);
    assert.equal(lynne.name, 'Lynne Robbins');
    const { sent } = await r.message(lynne, 'approve role-request 95c690fb-3eb3-4942-a03f-4524aed6f32b');
    const reply = text(sent);
    assert.equal(patches().length, 0, 'no decision reached Graph');
    assert.match(reply, /Your stage of this request has not started yet/);
    assert.match(reply, /once the earlier stage is approved/);
    assert.doesNotMatch(reply, /withdraw|Microsoft Graph refused/, reply);
  });

  it('a deny Graph refuses (403) says "deny", with "an" before a vowel', async () => {
    // Adele Vance holds no entitlement management permission: her read of the approval is refused,
    // so the decision goes to Graph, which refuses it.
    const adele = r.user(1);
    assert.equal(adele.name, 'Adele Vance');
    const { sent } = await r.message(adele, 'deny access-request 7999249e-249e-7999-9e24-99799e249984 Not now');
    const reply = text(sent);
    assert.match(reply, /refused to let you deny this access package request approval/, reply);
    assert.doesNotMatch(reply, /(let you|To) approve/, reply);
    assert.match(reply, /To deny an access package request approval you need/, reply);
    // Being an approver is not an Entra role: "and the role an approver of …" does not read.
    assert.match(reply, /and to be an approver of the request’s current stage/, reply);
    assert.doesNotMatch(reply, /the role an approver/, reply);
    assert.doesNotMatch(reply, /\ba access\b/, reply);
    assert.equal(lastAudit()?.errorCode, 'NOT_PERMITTED');
  });

  it('a refusal whose two ways in need the same permission names it once', async () => {
    // Adele Vance lacks RoleAssignmentSchedule.ReadWrite.Directory, which both a requester and an
    // administrator need to cancel a PIM role request (README permission table).
    const { sent } = await r.message(r.user(1), 'cancel role-request 95c690fb-3eb3-4942-a03f-4524aed6f31f');
    const reply = text(sent);
    assert.match(reply, /Missing: the delegated permission RoleAssignmentSchedule\.ReadWrite\.Directory/, reply);
    assert.doesNotMatch(reply, /for your own request\) or/, reply);
  });
});
