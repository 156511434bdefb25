// Is the simulated tenant's JSON batching as strict as Graph's? What the page states:
// https://learn.microsoft.com/en-us/graph/json-batching
// - "When a body is included with the request, the headers object must contain a value for
//   Content-Type", and "If the batch request itself is malformed, the status code is 400".
// - "If an individual request fails, any request that depends on that request fails with status
//   code 424 (Failed Dependency)."
// - Each answer's headers are Graph's own, spelled as the example answers spell them
//   ("Content-Type", and a throttled item's "Retry-After"): a client that looks them up in lower
//   case only must not pass here and fail against Graph.

import { strict as assert } from 'node:assert';
import type { DemoSeed } from '../../src/sandbox/seed';
import type { SimulatedTenant } from '../../src/sandbox/tenant';
import { errorOf, jsonOf } from '../fixtures/tenantClient';
import { tenantSession } from '../fixtures/tenantSession';

interface Answer {
  id: string;
  status: number;
  headers: Record<string, string>;
}

const MINE = "/roleManagement/directory/roleAssignmentScheduleRequests/filterByCurrentUser(on='principal')";

describe("simulated tenant's JSON batching is as strict as Graph's", () => {
  const session = tenantSession();
  let seed: DemoSeed;
  let tenant: SimulatedTenant;
  beforeEach(() => {
    ({ seed, tenant } = session);
  });
  const batch = (requests: unknown[]) => session.call('POST', '/v1.0/$batch', { requests });
  const answers = (requests: unknown[]): Answer[] => {
    const r = batch(requests);
    assert.equal(r.status, 200, r.body);
    return jsonOf<{ responses: Answer[] }>(r).responses;
  };

  it('refuses a request with a body but no Content-Type header: the batch is malformed (400)', () => {
    const cancel = `/roleManagement/directory/roleAssignmentScheduleRequests/${seed.examples.roleRequestId}/cancel`;
    const r = batch([{ id: '1', method: 'POST', url: cancel, body: {} }]);
    assert.equal(r.status, 400, r.body);
    assert.equal(errorOf(r).code, 'BadRequest');
    // Nothing of it ran: the request is still waiting.
    assert.equal(tenant.getRoleRequest(seed.examples.roleRequestId)?.status, 'PendingApproval');
  });

  it('fails a request whose dependsOn names a failed request with 424, and refuses one naming no request', () => {
    const unknown = '/roleManagement/directory/roleAssignmentScheduleRequests/00000000-0000-4000-8000-00000000dead';
    const got = answers([
      { id: '1', method: 'GET', url: unknown },
      { id: '2', method: 'GET', url: MINE, dependsOn: ['1'] },
      { id: '3', method: 'GET', url: MINE },
    ]);
    const status = Object.fromEntries(got.map((a) => [a.id, a.status]));
    assert.equal(status['1'], 404);
    assert.equal(status['2'], 424);
    assert.equal(status['3'], 200);
    assert.equal(batch([{ id: '1', method: 'GET', url: MINE, dependsOn: ['9'] }]).status, 400);
  });

  it("spells each answer's headers as Graph does: Content-Type, and Retry-After on a throttled item", () => {
    tenant.injectFault({ pathIncludes: 'filterByCurrentUser', status: 429, retryAfter: '7' });
    const got = answers([{ id: '1', method: 'GET', url: MINE }]);
    assert.equal(got[0]!.status, 429);
    assert.equal(got[0]!.headers['Retry-After'], '7');
    assert.match(got[0]!.headers['Content-Type'] ?? '', /application\/json/);
    assert.equal(got[0]!.headers['retry-after'], undefined);
  });

  // "If the batch request itself is malformed, the status code is 400" (the page above), and the
  // body is "a JSON object with a requests property": JSON that is not an object (the literal
  // null, a string, a number, an array) is a malformed batch, answered 400 in Graph's envelope,
  // never an exception that takes the sandbox down with it.
  it('answers a batch body that is JSON but not an object 400, whoever sends it', () => {
    for (const body of ['null', '"requests"', '20', 'true', '[]', '[{"id":"1","method":"GET","url":"/me"}]']) {
      for (const bearer of [session.token, null]) {
        const r = session.call('POST', '/v1.0/$batch', body, { 'content-type': 'application/json' }, bearer);
        assert.equal(r.status, 400, `${body}: ${r.body ?? ''}`);
        assert.equal(errorOf(r).code, 'BadRequest');
        assert.ok(errorOf(r).innerError?.['request-id'], 'the envelope carries its request-id');
      }
    }
  });
});
