// The notification intake's answer to an access package approval whose moment has already passed:
// accepted, stored and delivered all the same, with `notices` saying so, and a duplicate answered
// about the moment stored by the first post.

import { strict as assert } from 'node:assert';
import { event, intakeEdge, MemoryStore, request } from '../fixtures/intakeEdge';

describe('notification intake HTTP edge (in process): moments already past', () => {
  const edge = intakeEdge();
  let base: string;
  let store: MemoryStore;
  let kicked: string[];

  beforeEach(() => {
    ({ base, store, kicked } = edge);
  });

  type Accepted = { eventId: string; accepted: string; notices?: string[] };
  /** Posts an access package approval whose moment is `at`; it must be accepted (202). */
  const post = async (eventId: string, at: string) => {
    const body = JSON.stringify(event(eventId, { kind: 'accessApproval', approvalExpiresDateTime: at }));
    const r = await request(`${base}/api/notifications`, 'POST', body);
    assert.equal(r.status, 202, r.text);
    return JSON.parse(r.text) as Accepted;
  };

  // An access package approval whose automatic denial moment has passed was denied then
  // (https://learn.microsoft.com/en-us/graph/api/resources/accesspackageapprovalstage). The README's
  // intake section takes it all the same (senders keep fixed example moments the clock passes, and a
  // retry of an event accepted while its moment was ahead must stay a duplicate): 202, stored and
  // delivered, with `notices` naming the field and the bot's time; a moment ahead has no `notices`.
  it('accepts a moment already past with a notice naming approvalExpiresDateTime and the bot time', async () => {
    const notice =
      /^approvalExpiresDateTime 2026-03-18T08:30:00Z is not in the future \(now 2026-11-30T12:00:00\.000Z\): that approval was denied automatically then, so no reminder will be sent; send the moment of the stage waiting now\.$/;
    const lapsed = await post('lapsed', '2026-03-18T08:30:00Z');
    assert.equal(lapsed.accepted, 'new');
    assert.equal(lapsed.notices?.length, 1, JSON.stringify(lapsed));
    assert.match(lapsed.notices?.[0] ?? '', notice);
    assert.deepEqual(kicked, ['lapsed'], 'delivered as any other event');
    assert.equal(store.records.get('lapsed')?.state, 'queued', 'stored');
    const again = await post('lapsed', '2026-03-18T08:30:00Z');
    assert.equal(again.accepted, 'duplicate');
    assert.match(again.notices?.[0] ?? '', notice);
    assert.deepEqual(kicked, ['lapsed'], 'a duplicate is not delivered again');
    // Accepted while its moment was ahead, sent again once it has passed: still a duplicate.
    const ahead = await post('ahead', '2026-11-30T12:00:01Z');
    assert.equal(ahead.accepted, 'new');
    assert.equal('notices' in ahead, false, JSON.stringify(ahead));
    edge.clock += 2000;
    const retried = await post('ahead', '2026-11-30T12:00:01Z');
    assert.equal(retried.accepted, 'duplicate');
    assert.match(
      retried.notices?.[0] ?? '',
      /^approvalExpiresDateTime 2026-11-30T12:00:01Z is not in the future \(now 2026-11-30T12:00:02\.000Z\)/,
    );
    assert.deepEqual([...store.records.keys()], ['lapsed', 'ahead']);
  });

  // A duplicate stores nothing (README: "the same eventId again is accepted once"): the moment
  // reminded is the one stored by the first post
  // (https://learn.microsoft.com/en-us/graph/api/resources/accesspackageapprovalstage: the stage is
  // denied automatically at its moment). A retry that states another moment is answered about the
  // stored one: no notice while it is ahead (its reminder still comes), the notice once it has passed.
  it("answers a duplicate's notices about the moment stored, not the one sent again", async () => {
    const ahead = await post('stored-ahead', '2026-12-01T08:00:00Z');
    assert.equal('notices' in ahead, false, JSON.stringify(ahead));
    const pastRetry = await post('stored-ahead', '2026-03-18T08:30:00Z');
    assert.equal(pastRetry.accepted, 'duplicate');
    assert.equal('notices' in pastRetry, false, `the stored moment is still reminded: ${JSON.stringify(pastRetry)}`);
    const lapsed = await post('stored-past', '2026-03-18T08:30:00Z');
    assert.equal(lapsed.notices?.length, 1, JSON.stringify(lapsed));
    const aheadRetry = await post('stored-past', '2026-12-01T08:00:00+01:00');
    assert.equal(aheadRetry.accepted, 'duplicate');
    assert.equal(aheadRetry.notices?.length, 1, JSON.stringify(aheadRetry));
    assert.match(
      aheadRetry.notices?.[0] ?? '',
      /^approvalExpiresDateTime 2026-03-18T08:30:00\.000Z \(as stored when this eventId was first accepted; a duplicate changes nothing\) is not in the future \(now 2026-11-30T12:00:00\.000Z\): that approval was denied automatically then, so no reminder will be sent;/,
    );
    // The same instant written another way is quoted as this body wrote it.
    const sameInstant = await post('stored-past', '2026-03-18T09:30:00+01:00');
    assert.match(
      sameInstant.notices?.[0] ?? '',
      /^approvalExpiresDateTime 2026-03-18T09:30:00\+01:00 is not in the future/,
    );
    assert.deepEqual(kicked, ['stored-ahead', 'stored-past'], 'duplicates are not delivered again');
  });
});
