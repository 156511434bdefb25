// Before a PIM role decision the bot reads the request's `action` (an extension or renewal cannot
// be decided through Microsoft Graph:
// https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow).
// When that read goes unanswered or fails with a 5xx, nothing has been written: the person is told
// the decision was not sent (as when the read that names the stage fails, namedStage.ts), never
// that it "may or may not have taken effect", and no recovery read-and-re-send runs for a write
// that never went out.

import { strict as assert } from 'node:assert';
import { tenantFetch } from '../../src/sandbox/server';
import { GRAPH, Rig } from './botRig';
import { rigPerTest } from './rigPerTest';

const text = (x: unknown): string => JSON.stringify(x);

describe('PIM role decision: the read of the request’s action fails', () => {
  let r: Rig;
  const sentTo = (method: string, part: string) =>
    r.tenant.graphRequests().filter((q) => q.method === method && q.path.includes(part));
  const audits = () => r.logs.filter((l) => l.event === 'governance.action');

  // A read answered 503 is sent again after a back-off, as a 429 is (graphCaller.ts): no real waits here.
  rigPerTest((rig) => (r = rig), { silent: true, graphSleep: () => Promise.resolve() });

  it('a 503: not sent, said so, read once, one audit line', async () => {
    const id = r.seed.examples.roleApprovalId;
    r.tenant.injectFault({ method: 'GET', pathIncludes: 'filterByCurrentUser', status: 503, times: 10 });
    const { sent } = await r.message(r.user(0), `approve role-request ${id} Checked`);
    const reply = text(sent);
    assert.match(reply, /not sent/, reply.slice(0, 800));
    assert.doesNotMatch(reply, /may or may not have taken effect/);
    assert.doesNotMatch(reply, /so it is not changed twice/);
    assert.equal(sentTo('PATCH', 'roleAssignmentApprovals').length, 0);
    // One read call (its retries after the 503 share its client-request-id), and no second one.
    const reads = sentTo('GET', 'filterByCurrentUser');
    assert.ok(reads.length >= 1);
    assert.equal(
      new Set(reads.map((q) => q.headers['client-request-id'])).size,
      1,
      'no recovery re-send of a write never sent',
    );
    const audit = audits();
    assert.equal(audit.length, 1, text(audit));
    assert.equal(audit[0]?.errorCode, 'UPSTREAM');
    assert.equal(audit[0]?.graphStatus, 503);
  });

  it('a broken connection: not sent, said so, no PATCH', async () => {
    const id = r.seed.examples.roleApprovalId;
    r.hold = (req) => (req.url.includes('filterByCurrentUser') ? Promise.reject(new TypeError('fetch failed')) : null);
    const { sent } = await r.message(r.user(0), `approve role-request ${id} Checked`);
    const reply = text(sent);
    assert.match(reply, /not sent/, reply.slice(0, 800));
    assert.doesNotMatch(reply, /may or may not have taken effect/);
    assert.equal(sentTo('PATCH', 'roleAssignmentApprovals').length, 0);
    assert.equal(audits().length, 1);
  });
});

// Graph pages a filtered collection as it likes, and a page may hold nothing while an
// @odata.nextLink still points on: "To read all results, you must continue to call the
// @odata.nextLink URL" (https://learn.microsoft.com/graph/paging). The read of an extension
// request's action follows it, as the bot's other reads by id do.
describe('PIM role decision: the read of the request’s action comes back paged', () => {
  let r: Rig;
  rigPerTest((rig) => (r = rig));

  it('an empty first page with a nextLink: the extension request is still found, and no PATCH is sent', async () => {
    const EXTEND = '95c690fb-3eb3-4942-a03f-4524aed6f32c';
    let first = true;
    r.hold = (req) => {
      // The second page is the tenant's first: the made-up token is this fake's own, and the
      // tenant refuses a $skiptoken it did not give (https://learn.microsoft.com/graph/paging).
      if (/[?&](\$|%24)skiptoken=page2$/.test(req.url)) {
        const url = req.url.replace(/[?&](\$|%24)skiptoken=page2$/, '');
        return tenantFetch(r.tenant, GRAPH)(url, { method: req.method, headers: req.headers });
      }
      if (!first || req.method !== 'GET' || !req.url.includes('filterByCurrentUser')) return null;
      first = false;
      const next = `${req.url}&$skiptoken=page2`;
      return Promise.resolve(
        new Response(JSON.stringify({ value: [], '@odata.nextLink': next }), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        }),
      );
    };
    const { sent } = await r.message(r.user(0), `approve role-request ${EXTEND} Still needed`);
    const reply = text(sent);
    assert.equal(first, false, 'the first page was answered empty');
    assert.match(reply, /Microsoft Entra admin center/, reply.slice(0, 800));
    assert.equal(r.tenant.graphRequests().filter((q) => q.method === 'PATCH').length, 0, 'nothing was PATCHed');
  });
});

// An approver whose token may not read the approver filter (403) is not told apart by that read:
// the PATCH goes, and Graph refuses an extension's (pim-approval-workflow, above). The words must
// not contradict themselves ("is InProgress, so it cannot be changed … works only while
// InProgress") and must name the one place it can be decided.
describe('PIM role decision: the read of the request’s action is refused', () => {
  let r: Rig;
  rigPerTest((rig) => (r = rig));

  it('a 403 on the read, then Graph refuses the extension’s PATCH: says where it can be decided, without contradiction', async () => {
    const EXTEND = '95c690fb-3eb3-4942-a03f-4524aed6f32c';
    r.tenant.injectFault({ method: 'GET', pathIncludes: 'filterByCurrentUser', status: 403, times: 5 });
    const { sent } = await r.message(r.user(0), `approve role-request ${EXTEND} Still needed`);
    const reply = text(sent);
    assert.doesNotMatch(reply, /is InProgress, so it cannot be changed/, reply.slice(0, 900));
    assert.match(reply, /Microsoft Entra admin center/);
    assert.equal(r.tenant.getRoleRequest(EXTEND)?.status, 'PendingApproval');
  });
});
