// The sandbox's default user (Megan Bowen, whom the Playground signs in as) has requests of her own
// in the seed, so that a newcomer's first `my requests` has rows with Cancel (README, "The
// sandbox"). Through the real handler, the Graph reader and the simulated tenant with the seed as
// `npm start` loads it: her own requests are listed, and each Cancel goes to Graph as her.
//
// Each one is hers as Graph's "my requests" reads define it: PIM requests of which she is the
// principal (filterByCurrentUser(on='principal'), "the principal can be the creator or approver of
// the unifiedRoleAssignmentScheduleRequest object, or they can be the target of the assignment"),
// access package requests of which she is the target (on='target', a userAdd she made for
// herself, so she is its requestor too):
// https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/api/privilegedaccessgroupassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-filterbycurrentuser?view=graph-rest-1.0
// Cancel accepts them (PIM PendingApproval; access package pendingApproval and scheduled, the cancel
// page's pendingApproval and pendingNotBefore):
// https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-cancel?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-cancel?view=graph-rest-1.0

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { Rig, User } from './botRig';
import { ListContent, buttonsOf, headings, listSession, rowsOf } from './listSession';

const seed = loadDemoSeed();
const megan = seed.users[0]!;
const own = seed.selfService.adminOwnRequestIds;
// Her requests she is also named an approver of (sandbox.selfApproval.test.ts) are hers to cancel too.
const listed = [...own, seed.selfService.adminSelfApprovalRequestId, seed.selfService.adminSelfApprovalAccessRequestId];

/** The request ids the rows' buttons act on (a button's data carries its operation's ids). */
const idsOf = (content: ListContent): string[] =>
  rowsOf(content)
    .flatMap(buttonsOf)
    .map((b) => String((b.data as { ids?: { requestId?: unknown } } | undefined)?.ids?.requestId ?? ''))
    .map((id) => id.toLowerCase());

describe('sandbox: the default user’s own requests in my requests', () => {
  it('the seed names requests of every kind, each made by the default user for herself, in a state cancel accepts', () => {
    assert.equal(megan.displayName, 'Megan Bowen', 'the Playground signs in as the first seed user');
    assert.equal(seed.selfService.adminId, megan.id);
    const role = seed.roleRequests.filter((r) => own.includes(r.id));
    const group = seed.groupRequests.filter((r) => own.includes(r.id));
    const access = seed.accessRequests.filter((r) => own.includes(r.id));
    assert.equal(role.length + group.length + access.length, own.length, 'every id is a seed request');
    assert.ok(role.length > 0 && group.length > 0 && access.length > 0, 'one of each kind at least');
    for (const r of [...role, ...group]) {
      assert.equal(r.principal, megan.displayName, r.id);
      assert.equal(r.status, 'PendingApproval', r.id);
      assert.ok(!(r.approvers ?? []).includes(megan.displayName), `${r.id}: nobody approves their own request`);
    }
    for (const r of access) {
      assert.equal(r.requestor, megan.displayName, r.id);
      assert.equal(r.requestType, 'userAdd', `${r.id}: a request she made for herself`);
      assert.ok(['pendingApproval', 'scheduled', 'submitted'].includes(r.state), r.id);
      assert.ok(!(r.approvers ?? []).includes(megan.displayName), `${r.id}: nobody approves their own request`);
    }
    const examples = Object.values(seed.examples).map((id) => id.toLowerCase());
    for (const id of own) assert.ok(!examples.includes(id.toLowerCase()), `${id}: no help example cancels it first`);
  });

  it('the README’s sandbox walkthrough names each of them by its id and name', () => {
    const readme = fs.readFileSync(path.join(projectRoot(), 'README.md'), 'utf8');
    const sandbox = readme.slice(readme.indexOf('## The sandbox'), readme.indexOf('## Audit log'));
    assert.match(sandbox, /Try `my requests`/);
    const names = new Map<string, string>([
      ...seed.roleRequests.map((r): [string, string] => [r.id, r.roleName]),
      ...seed.groupRequests.map((r): [string, string] => [r.id, r.groupName]),
      ...seed.accessRequests.map((r): [string, string] => [r.id, r.accessPackageName]),
    ]);
    for (const id of own) {
      assert.ok(sandbox.includes(id), `${id} is named`);
      assert.ok(sandbox.replace(/\s+/g, ' ').includes(names.get(id)!), `${names.get(id)} is named`);
    }
  });

  describe('through the bot', () => {
    let rig: Rig;
    let me: User;
    const { list, press } = listSession((r) => {
      rig = r;
      me = r.user(0);
    });

    it('lists exactly her own requests with Cancel; a Cancel goes to Graph as her, and the request is no longer listed', async () => {
      const first = await list(me, 'my requests');
      const text = JSON.stringify(first.content);
      assert.doesNotMatch(text, /could not be listed/);
      assert.doesNotMatch(text, /You have no requests that can still be cancelled/);
      assert.deepEqual(
        [...idsOf(first.content)].sort(),
        listed.map((id) => id.toLowerCase()).sort(),
        `her own requests and no one else's: ${headings(first.content).join(', ')}`,
      );
      for (const row of rowsOf(first.content)) {
        assert.deepEqual(
          buttonsOf(row).map((b) => b.title),
          ['Cancel'],
        );
      }
      assert.ok(
        headings(first.content).includes('Access package · Project Falcon'),
        'the one waiting for its start date',
      );

      // Cancel one from its row: Graph is asked with her own (on-behalf-of) token.
      const target = own.find((id) => seed.accessRequests.some((r) => r.id === id && r.state === 'scheduled'))!;
      const cancel = rowsOf(first.content)
        .flatMap(buttonsOf)
        .find((b) => JSON.stringify(b.data).toLowerCase().includes(target.toLowerCase()))!;
      const answer = await press(me, first.card.id!, cancel.data as Record<string, unknown>);
      assert.match(JSON.stringify(answer.value), /Cancelled by Megan Bowen/);
      assert.equal(rig.tenant.getAccessRequest(target)?.state, 'canceled');
      const posts = rig.tenant.graphRequests().filter((r) => r.method === 'POST' && r.path.endsWith('/cancel'));
      assert.equal(posts.length, 1);
      assert.equal(posts[0]!.status, 200);
      assert.equal(posts[0]!.tokenClaims?.oid, megan.id, 'the cancel ran as her');

      // Asked again, the list no longer shows it; the others are still there.
      const second = await list(me, 'my requests');
      assert.deepEqual(
        [...idsOf(second.content)].sort(),
        listed
          .filter((id) => id !== target)
          .map((id) => id.toLowerCase())
          .sort(),
      );

      // Every other Cancel works as her too; then nothing is left to cancel.
      for (const id of listed.filter((i) => i !== target)) {
        const b = rowsOf(second.content)
          .flatMap(buttonsOf)
          .find((x) => JSON.stringify(x.data).toLowerCase().includes(id.toLowerCase()))!;
        const done = await press(me, second.card.id!, b.data as Record<string, unknown>);
        assert.match(JSON.stringify(done.value), /Cancelled by Megan Bowen/, id);
      }
      for (const r of rig.tenant.graphRequests().filter((x) => x.method === 'POST' && x.path.endsWith('/cancel'))) {
        assert.ok(r.status < 300, `${r.path}: ${r.status}`);
        assert.equal(r.tokenClaims?.oid, megan.id);
      }
      const last = await list(me, 'my requests');
      assert.match(JSON.stringify(last.content), /You have no requests that can still be cancelled/);
    });
  });
});
