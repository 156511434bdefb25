// The ids of a JSON batch's requests, as the batching page states them
// (https://learn.microsoft.com/en-us/graph/json-batching, "id: Required. String. A correlation
// value … Case insensitive. Must be unique within the batch, otherwise the batch request fails
// with a 400 error code"): a request whose id is not a string makes the batch malformed, which
// the page answers with 400 ("If the batch request itself is malformed, the status code is 400"),
// never with a crash of the simulated tenant.

import { strict as assert } from 'node:assert';
import { errorOf } from '../fixtures/tenantClient';
import { tenantSession } from '../fixtures/tenantSession';

const MINE = "/roleManagement/directory/roleAssignmentScheduleRequests/filterByCurrentUser(on='principal')";

describe("simulated tenant's JSON batching: the requests' ids", () => {
  const session = tenantSession();
  const batch = (requests: unknown[]) => session.call('POST', '/v1.0/$batch', { requests });

  for (const id of [1, true, { n: 1 }]) {
    it(`refuses a request whose id is ${JSON.stringify(id)}, not a string, with 400`, () => {
      let r: ReturnType<typeof batch> | undefined;
      assert.doesNotThrow(() => {
        r = batch([{ id, method: 'GET', url: MINE }]);
      }, 'the tenant answers a malformed batch, it does not throw');
      assert.equal(r?.status, 400, r?.body);
      assert.equal(errorOf(r!).code, 'BadRequest');
    });
  }

  it('refuses a dependsOn that names a request by a non-string id with 400', () => {
    const r = batch([
      { id: '1', method: 'GET', url: MINE },
      { id: '2', method: 'GET', url: MINE, dependsOn: [1] },
    ]);
    assert.equal(r.status, 400, r.body);
  });

  it('matches ids without regard to case, as the page says (a dependsOn of "A" names "a")', () => {
    const r = batch([
      { id: 'a', method: 'GET', url: MINE },
      { id: 'b', method: 'GET', url: MINE, dependsOn: ['A'] },
    ]);
    assert.equal(r.status, 200, r.body);
  });
});
