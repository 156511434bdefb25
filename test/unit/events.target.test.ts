// What a sender is told of an event's `target` (README, "POST /api/notifications": `{"userId": …}`,
// `{"channelId": "19:…@thread.tacv2"}` or `{"category": …}`). A target that names none of the three
// (an empty object, a misspelt key such as `userID`) is told the three forms; it was told that
// `target.channelId` must be a Teams channel id, a field the sender never sent.

import { strict as assert } from 'node:assert';
import { parseEvent } from '../../src/notifications/events';

const event = (target: unknown) => ({
  eventId: 'e1',
  kind: 'roleRequest',
  target,
  requestId: '95c690fb-3eb3-4942-a03f-4524aed6f31e',
});
const problemsOf = (target: unknown): string[] => {
  const parsed = parseEvent(event(target));
  return parsed.ok ? [] : parsed.problems;
};

describe('the target of a notification event', () => {
  it('tells a target naming none of userId, channelId or category the three forms', () => {
    for (const target of [{}, { userID: 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1' }, { channel: '19:x@thread.tacv2' }]) {
      const problems = problemsOf(target);
      assert.equal(problems.length, 1, JSON.stringify(target));
      assert.match(problems[0]!, /^target must be \{"userId"/, JSON.stringify(target));
      assert.doesNotMatch(problems[0]!, /target\.channelId/, JSON.stringify(target));
    }
  });

  it('still names the field a target sent wrong', () => {
    assert.deepEqual(problemsOf({ channelId: 'general' }), [
      'target.channelId must be a Teams channel id like 19:…@thread.tacv2.',
    ]);
    assert.deepEqual(problemsOf({ userId: 'megan' }), ['target.userId must be a GUID.']);
    assert.deepEqual(problemsOf({ userId: null }), ['target.userId must be a GUID.']);
    assert.equal(parseEvent(event({ channelId: '19:ops@thread.tacv2' })).ok, true);
  });

  // README, "POST /api/notifications": elsewhere in the intake `null` counts as absent; so it does
  // in a target, which names the one key that is not null.
  it('takes a key set to null as absent, not as a second target', () => {
    const megan = 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1';
    const user = parseEvent(event({ userId: megan, channelId: null }));
    assert.ok(user.ok, JSON.stringify(user));
    assert.deepEqual(user.event.target, { userId: megan });
    const channel = parseEvent(event({ userId: null, channelId: '19:ops@thread.tacv2', category: null }));
    assert.ok(channel.ok, JSON.stringify(channel));
    assert.deepEqual(channel.event.target, { channelId: '19:ops@thread.tacv2' });
    const category = parseEvent(event({ category: 'roleRequests', userId: null }));
    assert.ok(category.ok, JSON.stringify(category));
    assert.deepEqual(category.event.target, { category: 'roleRequests' });
    assert.deepEqual(problemsOf({ userId: 'megan', channelId: null }), ['target.userId must be a GUID.']);
    assert.match(problemsOf({ userId: megan, channelId: '19:ops@thread.tacv2', category: null })[0]!, /not several/);
  });
});
