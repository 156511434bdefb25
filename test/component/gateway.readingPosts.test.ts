// POSTs that only read go through the same retry policy as a GET: sent again after a 429, 503 or
// 504, backed off within the call's budget, sharing one client-request-id, each exchange logged.
// - checkMemberGroups is an action that returns the groups the user is in and changes nothing
//   (https://learn.microsoft.com/graph/api/directoryobject-checkmembergroups).
// - A JSON batch of GETs only reads (https://learn.microsoft.com/graph/json-batching); the POST
//   that carries it answered 503/504 is a busy service, to be backed off as for a 429
//   (https://learn.microsoft.com/graph/best-practices-concept#handling-expected-errors,
//   https://learn.microsoft.com/graph/throttling#best-practices-to-handle-throttling).
// A catalog write is still never sent again after a 503 (gateway.readRetry.test.ts).

import { strict as assert } from 'node:assert';
import { scriptedGateway } from '../fixtures/scriptedGateway';
import { MEMBER_GROUPS_TIMEOUT_MS, checkMemberGroups } from '../../src/graph/memberGroups';

const GROUP = 'd0000000-0000-4000-8000-0000000000a1';
const token = () => Promise.resolve('not-a-jwt');

const rig = scriptedGateway;

const answer =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const busy = (status: number, retryAfter?: string) =>
  answer(
    status,
    { error: { code: 'serviceNotAvailable', message: 'busy' } },
    retryAfter ? { 'retry-after': retryAfter } : {},
  );

describe('POSTs that only read', () => {
  for (const status of [429, 503, 504]) {
    it(`checkMemberGroups answered ${status} is sent again after its Retry-After, and logged each time`, async () => {
      const { gateway, sent, exchanges } = rig([busy(status, '1'), answer(200, { value: [GROUP] })]);
      assert.deepEqual(await checkMemberGroups(gateway, 'not-a-jwt', [GROUP]), [GROUP]);
      assert.deepEqual(
        sent.map((s) => `${s.method} ${s.path}`),
        ['POST /v1.0/me/checkMemberGroups', 'POST /v1.0/me/checkMemberGroups'],
      );
      assert.equal(sent[1]!.at - sent[0]!.at, 1_000, 'waited the Retry-After');
      assert.match(sent[0]!.crid ?? '', /^[0-9a-f-]{36}$/);
      assert.equal(sent[1]!.crid, sent[0]!.crid, 'retries of one call share its client-request-id');
      assert.deepEqual(
        exchanges.map((e) => [e.path, e.status, e.clientRequestId]),
        [
          ['/v1.0/me/checkMemberGroups', status, sent[0]!.crid],
          ['/v1.0/me/checkMemberGroups', 200, sent[0]!.crid],
        ],
      );
    });
  }

  it('checkMemberGroups keeps its deadline: a wait past it is not taken, and the answer is "cannot tell"', async () => {
    const { gateway, sent } = rig([
      busy(503, String(MEMBER_GROUPS_TIMEOUT_MS / 1000)),
      answer(200, { value: [GROUP] }),
    ]);
    assert.equal(await checkMemberGroups(gateway, 'not-a-jwt', [GROUP]), null);
    assert.equal(sent.length, 1);
  });

  for (const status of [429, 503, 504]) {
    it(`the $batch POST answered ${status} is sent again after a back-off, within the budget`, async () => {
      const items = { responses: [{ id: 'role', status: 200, headers: {}, body: { value: [] } }] };
      const { gateway, sent } = rig([busy(status, '2'), answer(200, items)]);
      const answers = await gateway.batchGet(
        'decideRoleApproval',
        'v1.0',
        [{ id: 'role', url: '/roleManagement/directory/roleAssignmentScheduleRequests' }],
        token,
      );
      assert.equal(answers.get('role')?.status, 200);
      assert.deepEqual(
        sent.map((s) => `${s.method} ${s.path}`),
        ['POST /v1.0/$batch', 'POST /v1.0/$batch'],
      );
      assert.equal(sent[1]!.at - sent[0]!.at, 2_000);
      assert.equal(sent[1]!.crid, sent[0]!.crid);
    });
  }
});
