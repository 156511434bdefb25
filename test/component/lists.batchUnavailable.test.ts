// A list's three first pages go in one JSON batch; Graph answers the batch 200 and each item on its
// own. An item answered 503 (the service busy) calls for "a back-off strategy similar to 429"
// (https://learn.microsoft.com/graph/best-practices-concept#handling-expected-errors), as an item
// answered 429 is read again alone after its Retry-After
// (https://learn.microsoft.com/graph/json-batching#handling-throttling-in-batches). The 503 item was
// shown as a failed part of the list at once.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { Rig, User } from './botRig';

describe('my approvals: a $batch item answered 503', () => {
  let dir: string;
  let rig: Rig;
  let megan: User;

  beforeEach(() => {
    dir = Rig.dir();
    rig = new Rig(dir, { silent: true, graphSleep: () => Promise.resolve() });
    megan = rig.user(0);
  });
  afterEach(async () => {
    await rig.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is read again alone after its Retry-After, and its rows are listed', async () => {
    rig.tenant.injectFault({
      method: 'GET',
      pathIncludes: 'group/assignmentScheduleRequests/filterByCurrentUser',
      status: 503,
      retryAfter: '1',
    });
    const { sent } = await rig.message(megan, 'my approvals');
    const card = JSON.stringify(sent);
    assert.match(card, /PIM for Groups · Finance approvers/, 'the group approvals are listed');
    const groupReads = rig.tenant
      .graphRequests()
      .filter((r) => r.path.includes('group/assignmentScheduleRequests/filterByCurrentUser'));
    assert.deepEqual(
      groupReads.map((r) => r.status),
      [503, 200],
      'busy in the batch, then read alone',
    );
  });
});
