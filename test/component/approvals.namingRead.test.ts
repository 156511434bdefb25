// A typed approve first reads the approval to name the stage it decides (src/domain/namedStage.ts).
// When that read fails, nothing is sent: the reply must say so, not that the decision "may or may
// not have taken effect" (the words for a write whose answer was lost), and the one audit line
// carries Graph's status (contract §6). A 429 on that read is retried after Retry-After like any
// call (contract §4). Graph's 5xx and 429 answers:
// https://learn.microsoft.com/en-us/graph/errors
// https://learn.microsoft.com/en-us/graph/throttling

import { strict as assert } from 'node:assert';
import { FINANCE_REPORTS as FINANCE, approveOf, twoStageCard } from './twoStageCard';

const APPROVE = approveOf('decideAccessPackageApproval', FINANCE);

const CODES: Record<number, string> = { 429: 'TooManyRequests', 400: 'BadRequest', 409: 'Conflict' };
const GRAPH_REQUEST_ID = '0f1e2d3c-4b5a-4697-8877-665544332211';
const answer = (status: number, headers: Record<string, string> = {}) =>
  Promise.resolve(
    new Response(JSON.stringify({ error: { code: CODES[status] ?? 'serviceUnavailable', message: 'Refused.' } }), {
      status,
      headers: { 'content-type': 'application/json', 'request-id': GRAPH_REQUEST_ID, ...headers },
    }),
  );

describe('approvals: a typed approve whose stage-naming read fails', () => {
  // A read answered 503 is sent again after a back-off, as a 429 is (graphCaller.ts): no real waits here.
  const card = twoStageCard(APPROVE, { graphSleep: () => Promise.resolve() });
  const audits = () => card.rig().logs.filter((l) => l.event === 'governance.action');
  const patches = () => card.stagePatches().length;

  it('a 503: nothing is sent, and the reply does not leave the decision in doubt', async () => {
    const r = card.rig();
    r.hold = (req) => (req.method === 'GET' ? answer(503) : null);
    const { sent } = await r.message(r.user(5), `approve access-request ${FINANCE}`);
    assert.equal(patches(), 0, 'nothing was sent');
    const reply = JSON.stringify(sent);
    assert.doesNotMatch(reply, /may or may not have taken effect/, reply);
    assert.match(reply, /not sent/, reply);
    // Nothing was sent, so there is nothing to check before sending it again.
    assert.doesNotMatch(reply, /before trying again|not changed twice/, reply);
    assert.match(reply, /Nothing was changed\. Send the command again in a moment\./, reply);
    assert.equal(audits().length, 1, JSON.stringify(audits()));
    assert.equal(audits()[0]?.errorCode, 'UPSTREAM');
    assert.equal(audits()[0]?.graphStatus, 503);
  });

  // Graph refusing the read (501 "The requested feature isn't implemented", or a 4xx with no
  // meaning of its own, https://learn.microsoft.com/en-us/graph/errors#http-status-codes): the
  // stage cannot be named, so nothing is sent; a retry will not mend a refusal, so the reply says
  // where to decide instead, never "again in a moment". A 400 or a 409 to this read (a request
  // Graph does not take, or a conflict of the read's own) refuses the read too: no state of the
  // approval was judged, so the reply never speaks of one.
  for (const status of [501, 405, 422, 400, 409]) {
    it(`a ${status}: nothing is sent, and the reply says Graph refused and where to decide instead`, async () => {
      const r = card.rig();
      r.hold = (req) => (req.method === 'GET' ? answer(status) : null);
      const { sent } = await r.message(r.user(5), `approve access-request ${FINANCE}`);
      assert.equal(patches(), 0, 'nothing was sent');
      const reply = JSON.stringify(sent);
      assert.match(reply, new RegExp(`refused \\(HTTP ${status}\\) to tell which stage`), reply);
      assert.match(reply, /your decision was not sent\. Nothing was changed\./, reply);
      assert.match(reply, /Approve or deny it in the My Access portal, under Approvals\./, reply);
      assert.doesNotMatch(reply, /in a moment|may or may not have taken effect|not changed twice/, reply);
      assert.doesNotMatch(reply, /current state|not in a state|works only while/i, reply);
      assert.match(reply, new RegExp(`Graph request-id ${GRAPH_REQUEST_ID}`), reply);
      assert.equal(audits().length, 1, JSON.stringify(audits()));
      assert.equal(audits()[0]?.errorCode, 'UPSTREAM');
      assert.equal(audits()[0]?.graphStatus, status);
      assert.equal(audits()[0]?.graphRequestId, GRAPH_REQUEST_ID);
    });
  }

  it('a 429 is read again after its Retry-After, and the stage it names is decided', async () => {
    const r = card.rig();
    let throttled = 0;
    r.hold = (req) => (req.method === 'GET' && throttled++ === 0 ? answer(429, { 'retry-after': '1' }) : null);
    await r.message(r.user(5), `approve access-request ${FINANCE}`);
    assert.equal(throttled >= 2, true, 'the read was sent again');
    assert.equal(patches(), 1);
    assert.deepEqual(
      r.tenant.getApproval(FINANCE)?.stages.map((s) => s.status),
      ['Completed', 'InProgress'],
    );
    assert.equal(audits().length, 1, JSON.stringify(audits()));
    assert.equal(audits()[0]?.outcome, 'succeeded');
  });
});
