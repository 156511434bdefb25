// A PIM role decision whose PATCH goes unanswered (a 5xx) may have taken effect: the bot reads the
// request and, still open, sends the decision once more, within the write's 30 s counted from its
// first send. The read before a decision (the request through the approver's own filter) tells
// what bars it: an approver's own request, or an extension or renewal Graph cannot decide
// (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow).
// Both are fixed when the request is made (its `action`, `principalId`, `createdBy`:
// https://learn.microsoft.com/en-us/graph/api/resources/unifiedroleassignmentschedulerequest),
// and the first PATCH was sent after that read: the re-send does not read them again, so a slow
// read cannot take the time the re-send needs.
// A 5xx leaves a write's outcome unknown: https://learn.microsoft.com/en-us/graph/errors#http-status-codes

import { strict as assert } from 'node:assert';
import { Rig } from './botRig';
import { rigPerTest } from './rigPerTest';

const text = (x: unknown): string => JSON.stringify(x);
const unavailable = (): Promise<Response> =>
  Promise.resolve(
    new Response(JSON.stringify({ error: { code: 'ServiceUnavailable', message: 'Try later.' } }), {
      status: 503,
      headers: { 'content-type': 'application/json' },
    }),
  );

describe('PIM role decision: the first PATCH unanswered, the request still open', () => {
  let r: Rig;
  rigPerTest((rig) => (r = rig), { silent: true, graphSleep: () => Promise.resolve() });

  it('sends the decision again without reading the request through the approver’s filter again', async () => {
    const id = r.seed.examples.roleApprovalId;
    let actionReads = 0;
    let patches = 0;
    r.hold = (req) => {
      if (req.method === 'GET' && req.url.includes('filterByCurrentUser')) actionReads++;
      if (req.method === 'PATCH' && req.url.includes('roleAssignmentApprovals')) {
        patches++;
        if (patches === 1) return unavailable();
      }
      return null;
    };
    const { sent } = await r.message(r.user(0), `approve role-request ${id} Checked`);
    const reply = text(sent);
    assert.equal(patches, 2, 'the decision was sent again');
    assert.equal(actionReads, 1, 'the request was read through the approver’s filter before the first PATCH only');
    assert.doesNotMatch(reply, /not sent|may or may not/, reply.slice(0, 900));
    const lines = r.logs.filter((l) => l.event === 'governance.action');
    assert.deepEqual(
      lines.map((l) => l.outcome),
      ['succeeded'],
    );
  });
});
