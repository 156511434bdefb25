// Deciding approvals through the real handler, card-action service, gateway and the simulated
// tenant: typed commands, card buttons shared by two approvers (two instances on one state),
// multi-stage requests and the refusals a person must understand.
// https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0 (204, 403, 409)

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { pressedData } from '../fixtures/pressedData';
import { Clock, systemClock } from '../../src/domain/clock';
import { Target } from '../../src/domain/operations';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { Rig } from './botRig';
import { lynneDeniesBeforePatch } from '../fixtures/lostRace';

const text = (x: unknown): string => JSON.stringify(x);

describe('approvals through the bot', () => {
  let dir: string;
  let rigs: Rig[] = [];
  const rig = (tenant?: SimulatedTenant): Rig => {
    const r = new Rig(dir, { silent: true, ...(tenant ? { tenant } : {}) });
    rigs.push(r);
    return r;
  };
  const patches = (r: Rig) => r.tenant.graphRequests().filter((q) => q.method === 'PATCH');

  beforeEach(() => {
    dir = Rig.dir();
    rigs = [];
  });
  afterEach(async () => {
    for (const r of rigs) await r.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('approve role-request: finds the step assigned to me by a read, PATCHes it once on beta', async () => {
    const r = rig();
    const megan = r.user(0);
    const id = r.seed.examples.roleApprovalId;
    const { sent } = await r.message(megan, `approve role-request ${id} Checked the change ticket`);
    assert.match(text(sent), /Approved your stage of the PIM role request/);
    const p = patches(r);
    assert.equal(p.length, 1);
    assert.match(
      p[0]!.path,
      new RegExp(`^/beta/roleManagement/directory/roleAssignmentApprovals/${id}/steps/[0-9a-f-]{36}$`),
    );
    assert.deepEqual(JSON.parse(p[0]!.body ?? '{}'), {
      reviewResult: 'Approve',
      justification: 'Checked the change ticket',
    });
    assert.equal(r.tenant.getRoleRequest(id)?.status, 'Provisioned');
    const audit = r.logs.find((l) => l.event === 'governance.action');
    assert.equal(audit?.justificationLength, 'Checked the change ticket'.length);
    assert.doesNotMatch(text(r.logs), /Checked the change ticket/);
  });

  it('a second approver of the stage is told who decided first and when; nothing is sent for them', async () => {
    const r = rig();
    const [megan, lynne] = [r.user(0), r.user(5)];
    const id = r.seed.examples.groupApprovalId;
    await r.message(lynne, `approve group-request ${id} Checked with the requester`);
    r.tenant.clearLog();
    const { sent } = await r.message(megan, `deny group-request ${id} Not during the freeze`);
    assert.match(text(sent), /Someone else decided first/);
    assert.match(text(sent), /already Approved by Lynne Robbins at \d\d:\d\d UTC on \d{4}-\d\d-\d\d/);
    assert.equal(patches(r).length, 0);
  });

  it('a 409 from Graph (another approver won the race) is explained with who decided', async () => {
    const r = rig();
    const megan = r.user(0);
    const id = r.seed.examples.accessApprovalId;
    // Lynne decides between Megan's read of the stage and her PATCH.
    lynneDeniesBeforePatch(r, id);
    const { sent } = await r.message(megan, `approve access-request ${id}`);
    assert.equal(patches(r).at(-1)?.status, 409);
    assert.match(
      text(sent),
      /Microsoft Graph refused: the access package request approval was already Denied by Lynne Robbins at 09:07 UTC on 2026-03-02/,
    );
  });

  // Graph refuses the approval's read to a reader who holds the permission and approves no stage
  // ("This API request is made by an approver",
  // https://learn.microsoft.com/en-us/graph/api/approval-get?view=graph-rest-1.0): no right an
  // administrator could grant is missing, so the answer says whose decision it is.
  it('a non-approver is refused with the reason; the stage stays open for the approvers', async () => {
    const r = rig();
    const diego = r.user(6);
    const id = r.seed.examples.accessApprovalId;
    const { sent } = await r.message(diego, `approve access-request ${id}`);
    assert.match(text(sent), /Not yours to decide now/);
    assert.match(text(sent), /not an approver of this request’s current stage/);
    assert.doesNotMatch(text(sent), /delegated permission|admin consent/, text(sent));
    assert.equal(r.logs.filter((l) => l.event === 'governance.action').at(-1)?.errorCode, 'NOT_PERMITTED');
    assert.equal(patches(r).length, 0);
    assert.equal(r.tenant.getApproval(id)?.stages[0]?.status, 'InProgress');
  });

  it('two approvers click Approve on one card on two instances: one PATCH; the other sees who approved', async () => {
    const tenant = new SimulatedTenant(loadDemoSeed());
    const [one, two] = [rig(tenant), rig(tenant)];
    const [megan, lynne] = [one.user(0), one.user(5)];
    const id = one.seed.examples.roleApprovalId;
    const approve: Target = { operation: 'decideRoleApproval', ids: { requestId: id }, decision: 'approve' };
    await one.postCard(megan, 'card-a', approve);
    await one.postCard(lynne, 'card-a', approve);
    const [a, b] = await Promise.all([one.click(megan, approve, 'card-a'), two.click(lynne, approve, 'card-a')]);
    assert.equal(patches(one).length, 1, 'exactly one decision reached Graph');
    const shown = [text(a.body.value), text(b.body.value)];
    assert.ok(
      shown.every((s) => /Approved by (Megan Bowen|Lynne Robbins)/.test(s)),
      shown.join('\n'),
    );
    assert.equal(tenant.getRoleRequest(id)?.status, 'Provisioned');
  });

  it('a multi-stage request: the first stage’s approval does not block the next stage’s approver on the same card', async () => {
    const r = rig();
    const [megan, lynne] = [r.user(0), r.user(5)];
    const id = '95c690fb-3eb3-4942-a03f-4524aed6f32b';
    const approve: Target = { operation: 'decideRoleApproval', ids: { requestId: id }, decision: 'approve' };
    await r.postCard(megan, 'card-m', approve);
    await r.postCard(lynne, 'card-m', approve);
    const first = await r.click(megan, approve, 'card-m');
    assert.match(text(first.body.value), /Approved by Megan Bowen/);
    assert.equal(r.tenant.getRoleRequest(id)?.status, 'PendingApproval');
    const second = await r.click(lynne, approve, 'card-m');
    assert.match(text(second.body.value), /Approved by Lynne Robbins/);
    assert.equal(patches(r).length, 2);
    assert.equal(r.tenant.getRoleRequest(id)?.status, 'Provisioned');
  });

  it('approve sent twice by an approver of two consecutive stages decides the first stage only', async () => {
    // The second send came before the first was answered: its sender had not seen stage 2 open
    // (approval-policy: "Only one of the selected approvers from each stage needs to approve a
    // request for multi-stage approval for the request to progress to the next stage",
    // https://learn.microsoft.com/en-us/entra/id-governance/entitlement-management-access-package-approval-policy).
    const seed = loadDemoSeed();
    const template = seed.accessRequests.find((q) => q.state === 'pendingApproval');
    assert.ok(template);
    const id = '7999249e-249e-7999-9e24-99799e2499b3';
    const twice = { ...template, id, requestor: 'Patti Fernandez', approvalStages: [['Megan Bowen'], ['Megan Bowen']] };
    // The bot's and the tenant's clock stand still: the second send is received at the instant of
    // the first's approval however slow the machine, never past the 5 s margin.
    const at = Date.now();
    const clock: Clock = { now: () => at, sleep: systemClock.sleep };
    const tenant = new SimulatedTenant(
      { ...seed, accessRequests: [...seed.accessRequests, twice] },
      { now: clock.now },
    );
    const r = new Rig(dir, { silent: true, tenant, clock, extend: () => ({ deps: { clock } }) });
    rigs.push(r);
    const megan = r.user(0);
    const first = await r.message(megan, `approve access-request ${id}`);
    assert.match(text(first.sent), /Approved/);
    const second = await r.message(megan, `approve access-request ${id}`);
    assert.match(text(second.sent), /Not applied to your next stage/);
    assert.match(text(second.sent), /send the command again/);
    assert.equal(patches(r).length, 1, 'stage 2 is not decided');
    const lines = r.logs.filter((l) => l.event === 'governance.action');
    assert.equal(lines.length, 2);
    assert.equal(lines[1]?.errorCode, 'INVALID_STATE');
  });

  it('a typed approval of a first stage says the request now waits for the next; the last stage’s does not', async () => {
    // "Only one of the selected approvers from each stage needs to approve a request for multi-stage
    // approval for the request to progress to the next stage" (entitlement-management-access-package-approval-policy).
    const seed = loadDemoSeed();
    const template = seed.accessRequests.find((q) => q.state === 'pendingApproval');
    assert.ok(template);
    const id = '7999249e-249e-7999-9e24-99799e2499b4';
    const two = { ...template, id, requestor: 'Patti Fernandez', approvalStages: [['Megan Bowen'], ['Lynne Robbins']] };
    const r = rig(new SimulatedTenant({ ...seed, accessRequests: [...seed.accessRequests, two] }));
    const first = await r.message(r.user(0), `approve access-request ${id}`);
    assert.match(text(first.sent), /The request now waits for the approvers of its next stage/);
    const last = await r.message(r.user(5), `approve access-request ${id}`);
    assert.match(text(last.sent), /Approved/);
    assert.doesNotMatch(text(last.sent), /next stage/);
    assert.equal(patches(r).length, 2);
  });

  it('Deny from a card needs the justification typed in the card, and sends it', async () => {
    const r = rig();
    const megan = r.user(0);
    const id = r.seed.examples.accessApprovalId;
    const deny: Target = { operation: 'decideAccessPackageApproval', ids: { requestId: id }, decision: 'deny' };
    await r.postCard(megan, 'card-d', deny);
    const bare = await r.click(megan, deny, 'card-d');
    // Universal Actions errors: HTTP 200, the error's own statusCode in the body.
    assert.equal(bare.status, 200);
    assert.equal((bare.body as { statusCode?: number }).statusCode, 400);
    assert.equal(patches(r).length, 0);
    const input = `justification_${id}`;
    const value = {
      action: {
        type: 'Action.Execute',
        verb: 'governance.act',
        data: { ...pressedData(deny), [input]: 'Budget freeze' },
      },
      trigger: 'manual',
    };
    const done = await r.invoke(megan, 'adaptiveCard/action', value, { replyToId: 'card-d' });
    assert.match(text(done.invoke?.body), /Denied by Megan Bowen/);
    assert.deepEqual(JSON.parse(patches(r)[0]!.body ?? '{}'), { reviewResult: 'Deny', justification: 'Budget freeze' });
    assert.equal(r.tenant.getAccessRequest(id)?.state, 'denied');
  });
});
