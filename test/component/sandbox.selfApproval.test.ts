// The sandbox shows a newcomer the refusal of a decision on one's own request: its seed has a PIM
// role request the default user (Megan Bowen, whom the Playground signs in as) made for herself
// and of which she is also named an approver, as an approver group holding its requester names
// them. Microsoft Entra refuses her the decision: "Approvers aren't able to approve their own role
// activation requests"
// (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow).
// It has an access package request of hers named the same way: "Approvers aren't able to approve
// their own access package requests"
// (https://learn.microsoft.com/en-us/entra/id-governance/entitlement-management-access-package-approval-policy).
// Through the real handler and the simulated tenant with the seed as `npm start` loads it.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { Rig } from './botRig';
import { rigPerTest } from './rigPerTest';

const seed = loadDemoSeed();
const megan = seed.users[0]!;
const text = (x: unknown): string => JSON.stringify(x);

/** The request names its requester among its approvers, with another who can still decide it. */
function assertNamesHerAnApprover(request: { approvers?: readonly string[] }, id: string): void {
  assert.ok((request.approvers ?? []).includes(megan.displayName), 'she is named an approver of it');
  assert.ok(
    (request.approvers ?? []).some((a) => a !== megan.displayName),
    'another approver can still decide it',
  );
  const examples = Object.values(seed.examples).map((x) => x.toLowerCase());
  assert.ok(!examples.includes(id.toLowerCase()), 'no help example decides or cancels it first');
}

/** The README's "The sandbox" section. */
function readmeSandboxSection(): string {
  const readme = fs.readFileSync(path.join(projectRoot(), 'README.md'), 'utf8');
  return readme.slice(readme.indexOf('## The sandbox'), readme.indexOf('## Audit log'));
}

/** A rig per test, and the PATCHes (decisions) the simulated tenant received. */
function rigWithPatches(): { rig: () => Rig; patches: () => unknown[] } {
  let r: Rig;
  rigPerTest((rig) => {
    r = rig;
  });
  return { rig: () => r, patches: () => r.tenant.graphRequests().filter((q) => q.method === 'PATCH') };
}

describe('sandbox: the default user’s own request she is named an approver of', () => {
  const id = seed.selfService.adminSelfApprovalRequestId;

  it('the seed has one: a pending PIM role request by Megan Bowen that names her among its approvers', () => {
    const request = seed.roleRequests.find((r) => r.id === id);
    assert.ok(request, `${String(id)} is a seed PIM role request`);
    assert.equal(request.principal, megan.displayName);
    assert.equal(request.status, 'PendingApproval');
    assertNamesHerAnApprover(request, id);
  });

  it('the README’s sandbox section says how to see the refusal', () => {
    const sandbox = readmeSandboxSection();
    assert.ok(sandbox.includes(`approve role-request ${id}`), 'the README names the command');
    assert.ok(sandbox.includes('This is your own request'), 'the README quotes the card');
  });

  describe('through the bot', () => {
    const { rig, patches } = rigWithPatches();

    for (const verb of ['approve', 'deny'] as const) {
      it(`${verb} role-request as Megan Bowen: "This is your own request", nothing sent, still pending`, async () => {
        const r = rig();
        assert.equal(r.user(0).aadObjectId, megan.id, 'the rig’s first user is the seed’s default user');
        const { sent } = await r.message(r.user(0), `${verb} role-request ${id} Looks fine`);
        const reply = text(sent);
        assert.match(reply, /This is your own request/);
        assert.match(reply, new RegExp(`cancel role-request ${id}`));
        assert.equal(patches().length, 0, 'no decision reached Graph');
        assert.equal(r.tenant.getRoleRequest(id)?.status, 'PendingApproval');
      });
    }
  });
});

describe('sandbox: the default user’s own access package request she is named an approver of', () => {
  const id = seed.selfService.adminSelfApprovalAccessRequestId;

  it('the seed has one: a pending access package request Megan Bowen made for herself that names her among its approvers', () => {
    const request = seed.accessRequests.find((r) => r.id === id);
    assert.ok(request, `${String(id)} is a seed access package request`);
    assert.equal(request.requestor, megan.displayName);
    assert.equal(request.requestType, 'userAdd', 'a request she made for herself');
    assert.equal(request.state, 'pendingApproval');
    assertNamesHerAnApprover(request, id);
  });

  it('the README’s sandbox section says how to see the refusal', () => {
    const sandbox = readmeSandboxSection();
    assert.ok(sandbox.includes(`approve access-request ${id}`), 'the README names the command');
  });

  describe('through the bot', () => {
    const { rig, patches } = rigWithPatches();

    for (const verb of ['approve', 'deny'] as const) {
      it(`${verb} access-request as Megan Bowen: "This is your own request", nothing sent, audited NOT_PERMITTED, still pending`, async () => {
        const r = rig();
        const { sent } = await r.message(r.user(0), `${verb} access-request ${id} Looks fine`);
        const reply = text(sent);
        assert.match(reply, /This is your own request/);
        assert.match(reply, new RegExp(`cancel access-request ${id}`));
        assert.doesNotMatch(reply, /Not permitted/);
        assert.equal(patches().length, 0, 'no decision reached Graph');
        assert.equal(r.tenant.getAccessRequest(id)?.state, 'pendingApproval');
        const audit = r.logs.filter((l) => l.event === 'governance.action').at(-1);
        assert.equal(audit?.operation, 'decideAccessPackageApproval');
        assert.equal(audit?.errorCode, 'NOT_PERMITTED');
      });
    }
  });
});
