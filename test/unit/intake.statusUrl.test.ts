// The status URL an accepted event's 202 names, `/api/notifications/{eventId}` (README,
// "POST /api/notifications"), must reach that event when a client follows it. URL clients remove
// the dot segments "." and ".." from a path before sending it (RFC 3986 §5.2.4,
// https://www.rfc-editor.org/rfc/rfc3986#section-5.2.4; the WHATWG URL Standard that fetch uses,
// https://url.spec.whatwg.org/#double-dot-path-segment), so an event named "." or ".." could be
// stored but never read: its GET would go to `/api/notifications/` or `/api/`.

import { strict as assert } from 'node:assert';
import { parseEvent } from '../../src/notifications/events';

const event = (eventId: string) => ({
  eventId,
  kind: 'roleRequest',
  target: { userId: 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1' },
  requestId: '95c690fb-3eb3-4942-a03f-4524aed6f31e',
});

/** The path a WHATWG URL client sends for an event's status URL. */
const sentPath = (eventId: string) =>
  new URL(`/api/notifications/${encodeURIComponent(eventId)}`, 'http://127.0.0.1:3978').pathname;

describe('intake: the status URL of an accepted event', () => {
  it('refuses the eventIds "." and "..", whose status URL a client would not send as written', () => {
    for (const eventId of ['.', '..']) {
      assert.notEqual(sentPath(eventId), `/api/notifications/${eventId}`, 'a client rewrites it');
      const parsed = parseEvent(event(eventId));
      assert.ok(!parsed.ok, `${eventId} is refused`);
      assert.match(parsed.problems.join(' '), /eventId may not be "\." or "\.\."/);
    }
  });

  it('still takes other eventIds of dots, and their status URL is sent as written', () => {
    for (const eventId of ['...', '.a', 'a.', 'a..b', '.:', ':..', `${'.'.repeat(127)}a`]) {
      assert.ok(parseEvent(event(eventId)).ok, eventId);
      assert.equal(sentPath(eventId), `/api/notifications/${encodeURIComponent(eventId)}`, eventId);
    }
  });
});
